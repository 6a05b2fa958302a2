package reconcile

import (
	"maps"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
)

// recordOn returns the record tags the role carries.
func (e *env) recordOn(t *testing.T, name string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range e.readBack(t, name).Tags {
		if k == contract.RecordTagKey || k == contract.RecordInlineTagKey || k == contract.RecordManagedTagKey {
			out[k] = v
		}
	}
	return out
}

func TestCreateAndUpdateRecordWhatTheyWrote(t *testing.T) {
	e := newEnv(t)
	first := fullRole("gt-record")
	if _, err := e.rec.Create(t.Context(), first, owner); err != nil {
		t.Fatal(err)
	}
	want, err := record.Of(first).Encode()
	if err != nil {
		t.Fatal(err)
	}
	if got := e.recordOn(t, "gt-record"); !maps.Equal(got, want) {
		t.Errorf("after Create the role records %v, want %v", got, want)
	}
	if creates := e.proxy.Writes(); len(creates) == 0 || creates[0].Action != "CreateRole" {
		t.Fatalf("writes = %v", creates)
	}

	second := fullRole("gt-record")
	second.Description = "changed"
	e.proxy.Reset()
	if _, err := e.rec.Update(t.Context(), "gt-record", second, owner); err != nil {
		t.Fatal(err)
	}
	if want, _ := record.Of(second).Encode(); !maps.Equal(e.recordOn(t, "gt-record"), want) {
		t.Errorf("after Update the role records %v, want %v", e.recordOn(t, "gt-record"), want)
	}
	if got, want := e.writes(), []string{"UpdateRole", "TagRole"}; !slices.Equal(got, want) {
		t.Errorf("writes = %v, want %v", got, want)
	}
}

// A role made before recording existed gets its record from one TagRole on its next Update, and nothing else.
func TestUpdateRecordsARoleMadeBeforeRecording(t *testing.T) {
	e := newEnv(t)
	desired := fullRole("gt-legacy")
	if _, err := e.rec.Create(t.Context(), desired, owner); err != nil {
		t.Fatal(err)
	}
	keys := []string{contract.RecordTagKey, contract.RecordInlineTagKey, contract.RecordManagedTagKey}
	if _, err := e.direct.UntagRole(t.Context(), &iam.UntagRoleInput{RoleName: aws.String("gt-legacy"), TagKeys: keys}); err != nil {
		t.Fatal(err)
	}

	e.proxy.Reset()
	if _, err := e.rec.Update(t.Context(), "gt-legacy", desired, owner); err != nil {
		t.Fatal(err)
	}
	if got := e.writes(); !slices.Equal(got, []string{"TagRole"}) {
		t.Errorf("writes = %v, want [TagRole]", got)
	}
	if want, _ := record.Of(desired).Encode(); !maps.Equal(e.recordOn(t, "gt-legacy"), want) {
		t.Errorf("role records %v, want %v", e.recordOn(t, "gt-legacy"), want)
	}
}
