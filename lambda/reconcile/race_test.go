package reconcile

import (
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/test/faultproxy"
)

// Two deliveries of one Create race: the first makes the role and then fails; the second adopts the role and
// reports it. The first must not delete the role the second reported: both end with the same role, as desired.
func TestConcurrentDeliveriesConverge(t *testing.T) {
	e := newEnv(t)
	desired := fullRole("gt-twice")
	// The first delivery's first PutRolePolicy fails, late enough for the second delivery to adopt the role.
	e.proxy.Add(faultproxy.Rule{Action: "PutRolePolicy", Nth: 1, Kind: faultproxy.Fail, Status: http.StatusConflict,
		Code: "LimitExceeded", Message: "injected LimitExceeded", Delay: 1500 * time.Millisecond})

	type outcome struct {
		res Result
		err error
	}
	first := make(chan outcome, 1)
	go func() {
		res, err := e.rec.Create(t.Context(), desired, owner)
		first <- outcome{res, err}
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := e.direct.GetRole(t.Context(), &iam.GetRoleInput{RoleName: aws.String(desired.RoleName)}); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the first delivery never created the role")
		}
		time.Sleep(10 * time.Millisecond)
	}
	second, err := e.rec.Create(t.Context(), desired, owner)
	if err != nil {
		t.Fatalf("second delivery: %v", err)
	}
	got := <-first
	if got.err != nil {
		t.Errorf("first delivery answered %v, the second SUCCESS: inconsistent answers", got.err)
	} else if got.res != second {
		t.Errorf("first delivery answered %+v, the second %+v", got.res, second)
	}
	if names := e.roleNames(t); !slices.Equal(names, []string{desired.RoleName}) {
		t.Fatalf("roles = %v, want the one role the second delivery reported", names)
	}
	e.assertHolds(t, desired, owner)
}
