package harness

import (
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
	"github.com/gtrole/groundtruth-execution-role/test/moto"
)

// The pool is what lets e2e and cfnengine tests run in parallel: each test must see only its own roles, faults and
// records, and a harness must come back clean to the next test that takes it.
func TestPoolGivesEachTestAHarnessOfItsOwn(t *testing.T) {
	p := &Pool{binary: "unused: these tests start no runtime", held: map[string]*Harness{}}
	t.Cleanup(func() {
		if err := p.close(); err != nil {
			t.Error(err)
		}
	})
	parent := p.Get(t)
	if again := p.Get(t); again != parent {
		t.Fatal("a second Get in one test gave another harness")
	}
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sagemaker.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	if _, err := parent.IAM.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("parents"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
		t.Fatal(err)
	}

	var first *Harness
	t.Run("a subtest", func(t *testing.T) {
		first = p.Get(t)
		if first == parent {
			t.Fatal("the subtest got its parent's harness, which the parent still holds")
		}
		if names, err := first.RoleNames(t.Context()); err != nil || len(names) != 0 {
			t.Errorf("a new harness holds roles %v (%v)", names, err)
		}
		first.Proxy.Add(faultproxy.FailNth("ListRoles", 1, http.StatusConflict, "LimitExceeded"))
	})
	t.Run("the next subtest", func(t *testing.T) {
		next := p.Get(t)
		if next != first {
			t.Fatal("the harness the last subtest gave back was not reused")
		}
		if _, err := iam.NewFromConfig(moto.ConfigFor(next.Proxy.URL())).ListRoles(t.Context(), &iam.ListRolesInput{}); err != nil {
			t.Errorf("ListRoles through the proxy: %v; want the last test's fault forgotten", err)
		}
		if _, err := next.IAM.CreateRole(t.Context(), &iam.CreateRoleInput{RoleName: aws.String("left-over"), AssumeRolePolicyDocument: aws.String(trust)}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("the one after", func(t *testing.T) {
		if names, err := p.Get(t).RoleNames(t.Context()); err != nil || len(names) != 0 {
			t.Errorf("the reused harness holds roles %v (%v), want none: the last test's role was not cleaned", names, err)
		}
	})
	if names, err := parent.RoleNames(t.Context()); err != nil || len(names) != 1 || names[0] != "parents" {
		t.Errorf("the parent's harness holds %v (%v), want only its own role", names, err)
	}
	if len(p.all) != 2 {
		t.Errorf("the pool started %d harnesses, want 2 (one held by the parent, one reused by the subtests)", len(p.all))
	}
}
