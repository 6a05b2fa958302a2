// Package makefile checks the commands the Makefile's targets run (make -n), where a target's contract is in its
// arguments rather than in Go code.
package makefile

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/internal/version"
)

const root = "../.."

// dryRun returns the commands `make -n` prints for args, run with env added to a clean AWS environment.
func dryRun(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("make", append([]string{"-n", "-C", root}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AWS_") && !strings.HasPrefix(kv, "MAKE") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make -n %v: %v\n%s", args, err, out)
	}
	return string(out)
}

func TestTargets(t *testing.T) {
	tests := []struct {
		name     string
		env      []string
		args     []string
		want     []string
		wantNone []string
	}{
		{"render reads a sample's region line", nil, []string{"render", "SAMPLE=test/testdata/properties/aws-cn.yaml"},
			[]string{"--region cn-north-1 test/testdata/properties/aws-cn.yaml"}, nil},
		{"demo reads a sample's region line", nil, []string{"demo", "SAMPLE=test/testdata/properties/aws-cn.yaml"},
			[]string{"-region cn-north-1"}, nil},
		{"a sample without a region line", nil, []string{"render", "SAMPLE=test/testdata/properties/everything.yaml"},
			[]string{"gtrole render  test/testdata/properties/everything.yaml"}, []string{"--region"}},
		{"integ with only an endpoint gets dummy credentials", []string{"AWS_ENDPOINT_URL=http://127.0.0.1:5000"}, []string{"integ"},
			[]string{"AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing"}, nil},
		{"integ keeps real credentials", []string{"AWS_ENDPOINT_URL=http://127.0.0.1:5000", "AWS_ACCESS_KEY_ID=AKIAEXAMPLE"}, []string{"integ"},
			nil, []string{"AWS_ACCESS_KEY_ID=testing"}},
		{"integ against AWS gets no dummy credentials", nil, []string{"integ"}, nil, []string{"AWS_ACCESS_KEY_ID=testing"}},
		{"deploy asks by default", nil, []string{"deploy"}, []string{"--require-approval broadening"}, nil},
		{"deploy runs unattended with APPROVAL=never", nil, []string{"deploy", "APPROVAL=never"}, []string{"--require-approval never"}, nil},
		{"publish uploads the packaged release to every Region's bucket", nil, []string{"publish", "BUCKET_PREFIX=gt-code", "REGIONS=us-east-1 eu-west-1"},
			[]string{"go run ./tools/publish -zip dist/bootstrap-" + version.Version + ".zip -bucket-prefix gt-code -regions \"us-east-1 eu-west-1\""}, nil},
		{"test runs the static checks and the production packages under -race", nil, []string{"test"},
			[]string{"go run honnef.co/go/tools/cmd/staticcheck@", "go test -race -count=1 -timeout 30m ./lambda/..."}, nil},
		{"scale runs the benchmark with SCALE_FLAGS", nil, []string{"scale", "SCALE_FLAGS=-burst 40"},
			[]string{"go run ./test/cmd/scale -burst 40"}, nil},
		{"package names the artifact after the version", nil, []string{"package"},
			[]string{"dist/bootstrap-" + version.Version + ".zip", "sha256sum bootstrap-" + version.Version + ".zip"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := dryRun(t, tt.env, tt.args...)
			for _, want := range tt.want {
				if !strings.Contains(out, want) {
					t.Errorf("make -n %v lacks %q:\n%s", tt.args, want, out)
				}
			}
			for _, bad := range tt.wantNone {
				if strings.Contains(out, bad) {
					t.Errorf("make -n %v has %q:\n%s", tt.args, bad, out)
				}
			}
		})
	}
}
