// Package typescript holds the TypeScript CDK example's test: it installs and synthesizes the app as a user does
// (`npm ci`, `npx cdk synth`) and checks the custom resource's properties against the provider's contract.
package typescript

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/constructs/constructstest"
	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/internal/version"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// Sample values the synthesized template is resolved with.
const (
	account     = "123456789012"
	region      = "us-east-1"
	dataBucket  = "labeling-data-bucket"
	serviceARN  = "arn:aws:lambda:us-east-1:123456789012:function:gt-provider"
	stackName   = "LabelingTypeScript"
	templateOut = stackName + ".template.json"
	// localPackage is the construct library the example installs from its packed tgz (`make construct`).
	localPackage = "node_modules/@gtrole/groundtruth-execution-role"
)

// synth runs what docs/cdk.md tells a user to run in this directory, `npm ci` then `npx cdk synth`, into a
// temporary cloud assembly, and returns the stack's template and the assembly's directory. Nothing is compiled
// beforehand: cdk.json runs bin/app.ts through ts-node, as an app made by `cdk init` does.
func synth(t *testing.T) ([]byte, string) {
	t.Helper()
	constructstest.NeedNode(t)
	var pkg struct{ Dependencies map[string]string }
	raw, err := os.ReadFile("package.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &pkg); err != nil {
		t.Fatal(err)
	}
	tgz := strings.TrimPrefix(pkg.Dependencies["@gtrole/groundtruth-execution-role"], "file:")
	if want := "@" + version.Version + ".jsii.tgz"; tgz != "" && !strings.HasSuffix(tgz, want) {
		t.Errorf("the example installs %s, not the tgz of this version (…%s)", tgz, want)
	}
	if _, err := os.Stat(tgz); tgz != "" && err != nil {
		t.Fatalf("the example installs the construct library from %s: run `make construct` (make test does): %v", tgz, err)
	}
	constructstest.Run(t, ".", nil, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
	// A go.mod of its own keeps any Go file under node_modules out of `go ./...`, as the root Makefile does.
	if err := os.WriteFile(filepath.Join("node_modules", "go.mod"), []byte("module node_modules\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	constructstest.Run(t, ".", nil, "npx", "--no-install", "cdk", "synth", "--quiet", "--no-notices", "--output", out)
	tmpl, err := os.ReadFile(filepath.Join(out, templateOut))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("synthesized %s (%d bytes)", templateOut, len(tmpl))
	return tmpl, out
}

// TestTypeScriptExample installs and synthesizes the example once, then checks the template.
func TestTypeScriptExample(t *testing.T) {
	raw, out := synth(t)
	t.Run("MatchesContract", func(t *testing.T) { matchesContract(t, raw) })
	t.Run("ProviderAssetIsTheShippedZip", func(t *testing.T) { providerAssetIsTheShippedZip(t, raw, out) })
}

// matchesContract resolves the example's Custom::GroundTruthExecutionRole as CloudFormation
// would and parses its properties with spec.Parse, the provider's own validation.
func matchesContract(t *testing.T, raw []byte) {
	// The default synthesizer's BootstrapVersion is an SSM parameter only the template's Rules read: drop it.
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if params, ok := doc["Parameters"].(map[string]any); ok {
		delete(params, "BootstrapVersion")
	}
	if rules, ok := doc["Rules"].(map[string]any); ok {
		delete(rules, "CheckBootstrapVersion") // its rule, which reads the SSM parameter, goes with it
	}
	trimmed, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := cfntemplate.Parse(trimmed)
	if err != nil {
		t.Fatal(err)
	}
	ids := tmpl.ResourceIDs("Custom::GroundTruthExecutionRole")
	fns := tmpl.ResourceIDs("AWS::Lambda::Function")
	if len(fns) != 1 {
		t.Fatalf("the example has Lambda functions %v, want the provider's only", fns)
	}
	providerID := fns[0]
	if len(ids) != 1 {
		t.Fatalf("the example has %d Custom::GroundTruthExecutionRole resources %v, want 1", len(ids), ids)
	}
	stack, err := tmpl.Bind(cfntemplate.Context{
		Partition: "aws", Region: region, AccountID: account, StackName: stackName,
		StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/" + stackName + "/5b6a1e20-c7a1-11f0-9d2a-0affd1f1e3a5",
		Ref: func(id string) (string, error) {
			if !strings.HasPrefix(id, "Data") {
				t.Errorf("the role's properties Ref %s, want only the Data bucket", id)
			}
			return dataBucket, nil
		},
		GetAtt: func(id, attr string) (any, error) {
			if id != providerID || attr != "Arn" {
				t.Errorf("the role's properties GetAtt %s.%s, want only the in-stack provider's Arn", id, attr)
			}
			return serviceARN, nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	props, err := stack.ResourceProperties(ids[0])
	if err != nil {
		t.Fatal(err)
	}
	if props["ServiceToken"] != serviceARN {
		t.Errorf("ServiceToken = %v, want the in-stack provider's ARN %s", props["ServiceToken"], serviceARN)
	}
	// CloudFormation reads ServiceTimeout as a number of seconds; it arrives as a string like every property.
	if props[contract.ServiceTimeout] != strconv.Itoa(contract.ServiceTimeoutSeconds) {
		t.Errorf("ServiceTimeout = %v, want the construct's default %d", props[contract.ServiceTimeout], contract.ServiceTimeoutSeconds)
	}
	delete(props, "ServiceToken")
	delete(props, contract.ServiceTimeout)
	settings, err := spec.SettingsFromEnv(func(string) string { return "" }, "aws")
	if err != nil {
		t.Fatal(err)
	}
	got, err := spec.Parse(props, spec.Target{Account: account, Region: region, Settings: settings})
	if err != nil {
		t.Fatalf("the example's properties fail the provider's validation: %v\n%v", err, props)
	}
	want := spec.Spec{
		Path:                    "/groundtruth/",
		Description:             "Ground Truth execution role for the TypeScript example",
		MaxSessionDuration:      7200,
		Tags:                    []spec.Tag{{Key: "team", Value: "vision"}},
		InputBuckets:            []spec.S3Location{{Bucket: dataBucket, Prefix: "input/"}},
		OutputBuckets:           []spec.S3Location{{Bucket: dataBucket, Prefix: "labels/"}, {Bucket: "shared-labeling-output"}},
		StreamingInputTopicArns: []string{"arn:aws:sns:us-east-1:123456789012:gt-input-topic"},
		UseManagedPolicy:        true,
		ResourceAccounts:        []string{account}, // the default data perimeter: the role's own account
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("the example's role spec:\n got %+v\nwant %+v", got, want)
	}

	var outputs struct {
		Outputs map[string]struct{ Value any }
	}
	if err := json.Unmarshal(raw, &outputs); err != nil {
		t.Fatal(err)
	}
	for name, attr := range map[string]string{"RoleArn": "Arn", "RoleName": "RoleName"} {
		wantValue := map[string]any{"Fn::GetAtt": []any{ids[0], attr}}
		if v := outputs.Outputs[name].Value; !reflect.DeepEqual(v, wantValue) {
			t.Errorf("output %s = %v, want %v", name, v, wantValue)
		}
	}
}

// providerAssetIsTheShippedZip checks that the in-stack provider deploys the zip packed into the construct
// library: the function's S3 key names an asset of the cloud assembly, and that asset is the linux/arm64 bundle.
func providerAssetIsTheShippedZip(t *testing.T, raw []byte, out string) {
	var doc struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				Code          struct{ S3Key string }
				Runtime       string
				Architectures []string
				Handler       string
			}
		}
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var found int
	for id, r := range doc.Resources {
		if r.Type != "AWS::Lambda::Function" {
			continue
		}
		found++
		p := r.Properties
		if p.Runtime != "provided.al2023" || !reflect.DeepEqual(p.Architectures, []string{"arm64"}) || p.Handler != "bootstrap" {
			t.Errorf("%s: runtime %s, architectures %v, handler %s; want provided.al2023, [arm64], bootstrap", id, p.Runtime, p.Architectures, p.Handler)
		}
		asset, err := os.ReadFile(filepath.Join(out, "asset."+p.Code.S3Key))
		if err != nil {
			t.Fatalf("%s: code %q is no asset of the cloud assembly: %v", id, p.Code.S3Key, err)
		}
		constructstest.CheckProviderZip(t, asset)
		shipped, err := os.ReadFile(filepath.Join(localPackage, "assets", "bootstrap.zip"))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(asset, shipped) {
			t.Errorf("%s deploys %d bytes, not the %d-byte zip packed into the construct library", id, len(asset), len(shipped))
		}
	}
	if found != 1 {
		t.Errorf("%d Lambda functions, want the provider's only", found)
	}
}

// TestLockPinsNoIntegrityOfTheLocalPackage: the lock file names the construct library's tgz without an integrity.
// With one, `npm ci` installs whatever tarball of that integrity npm's cache holds, so after the library changes
// the example would silently synthesize with the old build (seen with npm 11).
func TestLockPinsNoIntegrityOfTheLocalPackage(t *testing.T) {
	raw, err := os.ReadFile("package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	var lock struct {
		Packages map[string]map[string]any
	}
	if err := json.Unmarshal(raw, &lock); err != nil {
		t.Fatal(err)
	}
	entry, ok := lock.Packages[localPackage]
	if !ok {
		t.Fatalf("package-lock.json has no %s", localPackage)
	}
	if !strings.HasPrefix(entry["resolved"].(string), "file:") {
		t.Errorf("%s resolves to %v, want the local tgz", localPackage, entry["resolved"])
	}
	if v, ok := entry["integrity"]; ok {
		t.Errorf("%s pins integrity %v: delete that line (npm install adds it back)", localPackage, v)
	}
}
