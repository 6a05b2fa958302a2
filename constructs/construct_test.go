// Package constructs holds the tests of the jsii construct library in this directory: they build and pack it from
// a clean copy of its source as `make construct` does, install the packed tgz into a fresh CDK app as a user
// does, synthesize it, and hold the library to lambda/contract and to the Go provider construct.
package constructs

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
	"github.com/gtrole/groundtruth-execution-role/constructs/constructstest"
	"github.com/gtrole/groundtruth-execution-role/constructs/contractgen/render"
	"github.com/gtrole/groundtruth-execution-role/internal/bundle"
	"github.com/gtrole/groundtruth-execution-role/internal/cfntemplate"
	"github.com/gtrole/groundtruth-execution-role/internal/version"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/test/buildlock"
)

// TestMain gives the jsii runtime of the Go CDK (and npm) a temporary directory of their own and removes it.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "gtrole-constructs-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("TMPDIR", dir) //nolint:errcheck // a failure leaves the system's temp directory, which still works
	code := m.Run()
	jsii.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestGeneratedContractIsCurrent: src/contract.generated.ts is what contractgen renders from lambda/contract today.
func TestGeneratedContractIsCurrent(t *testing.T) {
	got, err := os.ReadFile(render.Path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != render.TypeScript() {
		t.Errorf("%s is stale: go run ./constructs/contractgen > constructs/%s", render.Path, render.Path)
	}
}

// packed is the library built and packed in a temporary copy of this directory.
type packed struct {
	dir      string // the copy
	zip      []byte // the provider bundle packed into it
	tgz, whl string
}

// pack copies the library's source into a temporary directory, builds the provider zip as `make build` does and
// runs pack.sh there: npm ci from the lock file, jsii, jsii-pacmak.
func pack(t *testing.T) packed {
	t.Helper()
	p := packed{dir: filepath.Join(t.TempDir(), "constructs")}
	if err := os.MkdirAll(filepath.Join(p.dir, "build"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"package.json", "package-lock.json", "README.md", "pack.sh", "src"} {
		constructstest.Run(t, ".", nil, "cp", "-a", name, filepath.Join(p.dir, name))
	}
	bin := filepath.Join(p.dir, "build", bundle.BinaryName)
	if err := buildlock.Do(t.Context(), func() error { return bundle.Build(t.Context(), "..", bundle.DefaultArch, bin) }); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	var zipped bytes.Buffer
	if err := bundle.Zip(&zipped, data); err != nil {
		t.Fatal(err)
	}
	p.zip = zipped.Bytes()
	zipPath := filepath.Join(p.dir, "build", "bootstrap.zip")
	if err := os.WriteFile(zipPath, p.zip, 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	constructstest.Run(t, p.dir, nil, "./pack.sh", zipPath)
	t.Logf("pack.sh (npm ci, jsii, jsii-pacmak, wheel) took %s", time.Since(start).Round(time.Second))
	p.tgz = filepath.Join(p.dir, "dist", "js", "groundtruth-execution-role@"+version.Version+".jsii.tgz")
	p.whl = filepath.Join(p.dir, "dist", "python", "gtrole.groundtruth_execution_role-"+version.Version+"-py3-none-any.whl")
	for _, f := range []string{p.tgz, p.whl} {
		if _, err := os.Stat(f); err != nil {
			t.Fatalf("pack.sh wrote no %s: %v", f, err)
		}
	}
	return p
}

// TestConstructLibrary packs the library once and runs the checks that need the packages.
func TestConstructLibrary(t *testing.T) {
	constructstest.NeedNode(t)
	p := pack(t)
	t.Run("PropsMatchTheContract", func(t *testing.T) { propsMatchTheContract(t, p) })
	t.Run("PackagesHoldTheProvider", func(t *testing.T) { packagesHoldTheProvider(t, p) })
	start := time.Now()
	consumer, out := synthConsumer(t, p)
	t.Logf("fresh app: npm install and cdk synth took %s", time.Since(start).Round(time.Second))
	t.Run("ConsumerRole", func(t *testing.T) { consumerRole(t, p, consumer, out) })
	t.Run("SharedProvider", func(t *testing.T) { sharedProvider(t, out) })
	t.Run("ProviderMatchesTheGoProvider", func(t *testing.T) {
		providerMatchesGo(t, out, "Consumer", provider.Props{
			RolePathPrefix:              jsii.String("/labeling/"),
			RequiredPermissionsBoundary: jsii.String("arn:aws:iam::123456789012:policy/gt-boundary"),
			AllowedManagedPolicyArns: &[]*string{
				awsiam.ManagedPolicy_FromAwsManagedPolicyName(jsii.String("AmazonSageMakerGroundTruthExecution")).ManagedPolicyArn(),
				jsii.String("arn:aws:iam::123456789012:policy/gt-extra"),
			},
			AllowedResourceAccounts: jsii.Strings("210987654321"),
		})
	})
	t.Run("DefaultProviderMatchesTheGoProvider", func(t *testing.T) { providerMatchesGo(t, out, "Defaults", provider.Props{}) })
}

// constructOnly are props that configure the construct and render no property.
var constructOnly = []string{"provider"}

// propsMatchTheContract reads the jsii assembly: every prop of GroundTruthExecutionRoleProps names the property it
// renders with an @cfnProperty tag, each contract property has exactly one prop, and every tag names a contract
// property or one of CloudFormation's own.
func propsMatchTheContract(t *testing.T, p packed) {
	raw, err := os.ReadFile(filepath.Join(p.dir, ".jsii"))
	if err != nil {
		t.Fatal(err)
	}
	var asm struct {
		Types map[string]struct {
			Properties []struct {
				Name string
				Docs struct{ Custom map[string]string }
			}
		}
	}
	if err := json.Unmarshal(raw, &asm); err != nil {
		t.Fatal(err)
	}
	typ, ok := asm.Types["@gtrole/groundtruth-execution-role.GroundTruthExecutionRoleProps"]
	if !ok {
		t.Fatal("the assembly has no GroundTruthExecutionRoleProps")
	}
	named := map[string][]string{}
	for _, prop := range typ.Properties {
		name, tagged := prop.Docs.Custom["cfnProperty"]
		switch {
		case slices.Contains(constructOnly, prop.Name):
			if tagged {
				t.Errorf("prop %s is construct-only but has @cfnProperty %s", prop.Name, name)
			}
		case !tagged:
			t.Errorf("prop %s has no @cfnProperty tag: name the contract property it renders, or list it as construct-only", prop.Name)
		default:
			if _, ok := contract.Lookup(name); !ok && !slices.Contains(contract.Ignored, name) {
				t.Errorf("prop %s renders %q, which is not a property of the contract", prop.Name, name)
			}
			named[name] = append(named[name], prop.Name)
		}
	}
	for _, name := range append(contract.Names(), contract.Ignored...) {
		if len(named[name]) != 1 {
			t.Errorf("property %s is rendered by props %v, want exactly one", name, named[name])
		}
	}
}

// packagesHoldTheProvider: the npm tgz carries the provider zip, and the wheel carries that tgz (jsii's Python
// runtime loads the JavaScript from it), so neither user needs Go.
func packagesHoldTheProvider(t *testing.T, p packed) {
	files := strings.Fields(constructstest.Run(t, p.dir, nil, "tar", "-tzf", p.tgz))
	if !slices.Contains(files, "package/assets/bootstrap.zip") {
		t.Errorf("the npm package lacks assets/bootstrap.zip: %v", files)
	}
	inTgz := constructstest.Run(t, p.dir, nil, "tar", "-xzOf", p.tgz, "package/assets/bootstrap.zip")
	if inTgz != string(p.zip) {
		t.Errorf("the npm package's bootstrap.zip (%d bytes) is not the provider zip (%d bytes)", len(inTgz), len(p.zip))
	}
	listing := constructstest.Run(t, p.dir, nil, "unzip", "-l", p.whl)
	want := "gtrole/groundtruth_execution_role/_jsii/" + filepath.Base(p.tgz)
	if !strings.Contains(listing, want) {
		t.Errorf("the wheel lacks %s:\n%s", want, listing)
	}
	meta := constructstest.Run(t, p.dir, nil, "unzip", "-p", p.whl, "*.dist-info/METADATA")
	for _, req := range []string{"Requires-Dist: aws-cdk-lib", "Requires-Dist: constructs", "Requires-Dist: jsii"} {
		if !strings.Contains(meta, req) {
			t.Errorf("the wheel's METADATA lacks %q", req)
		}
	}
}

// synthConsumer makes a fresh CDK TypeScript app (testdata/consumer, laid out as `cdk init` lays one out),
// installs the packed tgz and the example's pinned aws-cdk-lib, constructs, CLI, ts-node and TypeScript from
// npm (its cache serves them offline), and runs `npx cdk synth`. It returns the template of stack Consumer and
// the cloud assembly's directory.
func synthConsumer(t *testing.T, p packed) (*cfntemplate.Template, string) {
	t.Helper()
	app := filepath.Join(t.TempDir(), "app")
	constructstest.Run(t, ".", nil, "cp", "-a", filepath.Join("testdata", "consumer"), app)
	var example struct{ Dependencies, DevDependencies map[string]string }
	raw, err := os.ReadFile(filepath.Join("..", "examples", "typescript", "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &example); err != nil {
		t.Fatal(err)
	}
	deps := map[string]string{"@gtrole/groundtruth-execution-role": "file:" + p.tgz}
	for _, name := range []string{"aws-cdk-lib", "constructs"} {
		deps[name] = example.Dependencies[name]
	}
	manifest, err := json.MarshalIndent(map[string]any{
		"name": "consumer", "version": "0.0.0", "private": true,
		"dependencies": deps, "devDependencies": example.DevDependencies,
	}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(app, "package.json"), manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	constructstest.Run(t, app, nil, "npm", "install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error")
	out := filepath.Join(app, "cdk.out")
	constructstest.Run(t, app, nil, "npx", "--no-install", "cdk", "synth", "--quiet", "--no-notices", "--output", out)
	return readTemplate(t, filepath.Join(out, "Consumer.template.json")), out
}

func readTemplate(t *testing.T, path string) *cfntemplate.Template {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The default synthesizer's BootstrapVersion is an SSM parameter only the template's Rules read: drop it.
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "Rules")
	if params, ok := doc["Parameters"].(map[string]any); ok {
		delete(params, "BootstrapVersion")
	}
	trimmed, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := cfntemplate.Parse(trimmed)
	if err != nil {
		t.Fatal(err)
	}
	return tmpl
}

const (
	account    = "123456789012"
	region     = "us-east-1"
	serviceARN = "arn:aws:lambda:us-east-1:123456789012:function:in-stack-provider"
	dataBucket = "consumer-data-bucket"
	roleARN    = "arn:aws:iam::123456789012:role/labeling/vision/gt-consumer"
)

// bind resolves stack name's template as CloudFormation would, with the provider function's ARN, the data
// bucket's name and the role's ARN for the resources' attributes.
func bind(t *testing.T, tmpl *cfntemplate.Template, name string) *cfntemplate.Stack {
	t.Helper()
	stack, err := tmpl.Bind(cfntemplate.Context{
		Partition: "aws", Region: region, AccountID: account, StackName: name,
		StackID: "arn:aws:cloudformation:us-east-1:123456789012:stack/" + name + "/5b6a1e20-c7a1-11f0-9d2a-0affd1f1e3a5",
		ImportValue: func(export string) (string, error) {
			if export != "GroundTruthRoleProvider-ServiceToken" {
				return "", fmt.Errorf("unexpected import %q", export)
			}
			return serviceARN, nil
		},
		Ref: func(id string) (string, error) {
			switch {
			case strings.HasPrefix(id, "Data"):
				return dataBucket, nil
			case strings.HasPrefix(id, "GroundTruthExecutionRoleProviderFunction"):
				return "in-stack-provider", nil
			}
			return id, nil // the physical id of any other resource: its logical id will do
		},
		GetAtt: func(id, attr string) (any, error) {
			switch {
			case strings.HasPrefix(id, "GroundTruthExecutionRoleProviderFunction") && attr == "Arn":
				return serviceARN, nil
			case strings.HasPrefix(id, "Role") && attr == "Arn":
				return roleARN, nil
			}
			return id + "." + attr, nil // any other attribute: a placeholder will do
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return stack
}

// one returns the only resource of type typ.
func one(t *testing.T, tmpl *cfntemplate.Template, typ string) string {
	t.Helper()
	ids := tmpl.ResourceIDs(typ)
	if len(ids) != 1 {
		t.Fatalf("%d %s resources %v, want 1", len(ids), typ, ids)
	}
	return ids[0]
}

// consumerRole checks stack Consumer: every contract property rendered, accepted by the provider's own
// validation under the settings the in-stack provider is given, its ServiceToken and ServiceTimeout, the
// provider's code asset, and the PassRole grant.
func consumerRole(t *testing.T, p packed, tmpl *cfntemplate.Template, out string) {
	stack := bind(t, tmpl, "Consumer")
	roleID := one(t, tmpl, "Custom::GroundTruthExecutionRole")
	props, err := stack.ResourceProperties(roleID)
	if err != nil {
		t.Fatal(err)
	}
	if props[contract.ServiceToken] != serviceARN {
		t.Errorf("ServiceToken = %v, want the in-stack provider's ARN", props[contract.ServiceToken])
	}
	if props[contract.ServiceTimeout] != "300" {
		t.Errorf("ServiceTimeout = %v, want serviceTimeout's 300 seconds", props[contract.ServiceTimeout])
	}
	var rendered []string
	for name := range props {
		if !slices.Contains(contract.Ignored, name) {
			rendered = append(rendered, name)
		}
	}
	slices.Sort(rendered)
	want := contract.Names()
	slices.Sort(want)
	if !slices.Equal(rendered, want) {
		t.Errorf("with every prop set the role renders %v, want the contract's %v", rendered, want)
	}

	fnID := one(t, tmpl, "AWS::Lambda::Function")
	fn, err := stack.ResourceProperties(fnID)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := fn["Environment"].(map[string]any)["Variables"].(map[string]any)
	settings, err := spec.SettingsFromEnv(func(k string) string { s, _ := env[k].(string); return s }, "aws")
	if err != nil {
		t.Fatalf("the in-stack provider's settings %v: %v", env, err)
	}
	got, err := spec.Parse(props, spec.Target{Account: account, Region: region, Settings: settings})
	if err != nil {
		t.Fatalf("the role's properties fail the provider's validation: %v\n%v", err, props)
	}
	if got.Path != "/labeling/vision/" || len(got.InputBuckets) != 1 || got.InputBuckets[0] != (spec.S3Location{Bucket: dataBucket, Prefix: "input/"}) {
		t.Errorf("parsed spec: path %q, input buckets %+v", got.Path, got.InputBuckets)
	}
	for k, v := range map[string]any{"Runtime": "provided.al2023", "Handler": "bootstrap", "Architectures": []any{"arm64"}} {
		if !reflect.DeepEqual(fn[k], v) {
			t.Errorf("provider function %s = %v, want %v", k, fn[k], v)
		}
	}
	key, _ := fn["Code"].(map[string]any)["S3Key"].(string)
	asset, err := os.ReadFile(filepath.Join(out, "asset."+key))
	if err != nil {
		t.Fatalf("the provider's code %q is no asset of the cloud assembly: %v", key, err)
	}
	if !bytes.Equal(asset, p.zip) {
		t.Errorf("the provider deploys a %d-byte asset, not the %d-byte zip packed into the library", len(asset), len(p.zip))
	}
	constructstest.CheckProviderZip(t, asset)

	policy, err := stack.ResourceProperties(one(t, tmpl, "AWS::IAM::Policy"))
	if err != nil {
		t.Fatal(err)
	}
	wantStatement := map[string]any{
		"Action": "iam:PassRole", "Effect": "Allow", "Resource": roleARN,
		"Condition": map[string]any{"StringEquals": map[string]any{"iam:PassedToService": "sagemaker.amazonaws.com"}},
	}
	statements := policy["PolicyDocument"].(map[string]any)["Statement"].([]any)
	if len(statements) != 1 || !reflect.DeepEqual(statements[0], wantStatement) {
		t.Errorf("grantPassRole gives %v, want only %v", statements, wantStatement)
	}
}

// sharedProvider checks stack Shared: no provider of its own, the provider stack's export as ServiceToken, and
// the default ServiceTimeout.
func sharedProvider(t *testing.T, out string) {
	tmpl := readTemplate(t, filepath.Join(out, "Shared.template.json"))
	if fns := tmpl.ResourceIDs("AWS::Lambda::Function"); len(fns) != 0 {
		t.Errorf("a role with a serviceToken made functions %v", fns)
	}
	stack := bind(t, tmpl, "Shared")
	props, err := stack.ResourceProperties(one(t, tmpl, "Custom::GroundTruthExecutionRole"))
	if err != nil {
		t.Fatal(err)
	}
	if props[contract.ServiceToken] != serviceARN || props[contract.ServiceTimeout] != strconv.Itoa(contract.ServiceTimeoutSeconds) {
		t.Errorf("ServiceToken %v, ServiceTimeout %v; want the import of %s-ServiceToken and %d",
			props[contract.ServiceToken], props[contract.ServiceTimeout], contract.DefaultProviderStackName, contract.ServiceTimeoutSeconds)
	}
	if got := props[contract.OutputBuckets]; !reflect.DeepEqual(got, []any{"labeling-output/labels/"}) {
		t.Errorf("OutputBuckets = %v", got)
	}
}

// providerMatchesGo synthesizes the Go provider construct (cdk/provider) with the settings the stack gives the
// in-stack provider, at the same construct path, and compares every resource's properties but the code's
// location: the TypeScript provider may not drift from the Go one, whose permissions the tests of cdk/provider
// and test/cfnengine hold to the fence.
func providerMatchesGo(t *testing.T, out, stackName string, props provider.Props) {
	zip := filepath.Join(t.TempDir(), "bootstrap.zip")
	var placeholder bytes.Buffer
	if err := bundle.Zip(&placeholder, []byte("placeholder")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(zip, placeholder.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String(stackName), nil)
	props.CodePath = jsii.String(zip)
	provider.NewProvider(stack, "GroundTruthExecutionRoleProvider", &props)
	raw, err := json.Marshal(app.Synth(nil).GetStackByName(jsii.String(stackName)).Template())
	if err != nil {
		t.Fatal(err)
	}
	var goDoc, tsDoc struct {
		Resources map[string]struct {
			Type       string
			Properties map[string]any
		}
	}
	if err := json.Unmarshal(raw, &goDoc); err != nil {
		t.Fatal(err)
	}
	tsRaw, err := os.ReadFile(filepath.Join(out, stackName+".template.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(tsRaw, &tsDoc); err != nil {
		t.Fatal(err)
	}
	if len(goDoc.Resources) < 6 {
		t.Fatalf("the Go provider synthesized only %d resources", len(goDoc.Resources))
	}
	for id, g := range goDoc.Resources {
		ts, ok := tsDoc.Resources[id]
		if !ok {
			t.Errorf("the Go provider's %s (%s) is missing from the TypeScript provider", id, g.Type)
			continue
		}
		delete(g.Properties, "Code")
		delete(ts.Properties, "Code")
		if !reflect.DeepEqual(g.Properties, ts.Properties) {
			gj, _ := json.MarshalIndent(g.Properties, "", " ")
			tj, _ := json.MarshalIndent(ts.Properties, "", " ")
			t.Errorf("%s (%s) differs:\nGo %s\nTypeScript %s", id, g.Type, gj, tj)
		}
	}
	for id, r := range tsDoc.Resources {
		if _, ok := goDoc.Resources[id]; !ok && strings.HasPrefix(id, "GroundTruthExecutionRoleProvider") {
			t.Errorf("the TypeScript provider has %s (%s), which the Go provider has not", id, r.Type)
		}
	}
}
