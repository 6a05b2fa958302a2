package reconcile

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// sizedDoc is an Allow document of about size characters as IAM counts them.
func sizedDoc(t *testing.T, size int) iamdoc.Document {
	t.Helper()
	var resources []string
	d := doc(allow([]string{"s3:GetObject"}, nil))
	for i := 0; iamdoc.Size(d) < size-40; i++ {
		resources = append(resources, fmt.Sprintf("arn:aws:s3:::bucket-%05d/*", i))
		d = doc(allow([]string{"s3:GetObject"}, resources))
	}
	return d
}

// An in-place Update whose old and new inline policies both fit IAM's 10,240-character aggregate must never pass
// through a state over it: a growing policy written before a shrinking one would (IAM answers LimitExceeded; moto
// does not enforce the quota, so the test replays the recorded writes and sums the sizes after each).
func TestUpdateInlineWritesStayWithinTheAggregateQuota(t *testing.T) {
	e := newEnv(t)
	role := func(a, b int) iamdoc.Role {
		r := fullRole("gt-quota")
		r.Policies = []iamdoc.InlinePolicy{{PolicyName: "A", PolicyDocument: sizedDoc(t, a)}, {PolicyName: "B", PolicyDocument: sizedDoc(t, b)}}
		return r
	}
	from, to := role(3000, 7000), role(7000, 2500)
	for _, r := range []iamdoc.Role{from, to} {
		if n := r.InlineSize(); n > contract.MaxInlinePolicySize {
			t.Fatalf("test setup: %d characters do not fit the quota", n)
		}
	}
	if _, err := e.rec.Create(t.Context(), from, owner); err != nil {
		t.Fatal(err)
	}
	e.proxy.Reset()
	if _, err := e.rec.Update(t.Context(), "gt-quota", to, owner); err != nil {
		t.Fatal(err)
	}
	e.assertHolds(t, to, owner)

	sizes := map[string]int{}
	for _, p := range from.Policies {
		sizes[p.PolicyName] = iamdoc.Size(p.PolicyDocument)
	}
	puts := 0
	for _, w := range e.proxy.Writes() {
		form, err := url.ParseQuery(string(w.Body))
		if err != nil {
			t.Fatal(err)
		}
		switch w.Action {
		case "PutRolePolicy":
			puts++
			sizes[form.Get("PolicyName")] = iamdoc.TextSize(form.Get("PolicyDocument"))
		case "DeleteRolePolicy":
			delete(sizes, form.Get("PolicyName"))
		default:
			continue
		}
		total := 0
		for _, n := range sizes {
			total += n
		}
		if total > contract.MaxInlinePolicySize {
			t.Errorf("after %s %s the role's inline policies total %d characters, over IAM's %d", w.Action, form.Get("PolicyName"), total, contract.MaxInlinePolicySize)
		}
	}
	if puts != 2 {
		t.Errorf("PutRolePolicy calls = %d, want 2", puts)
	}
}
