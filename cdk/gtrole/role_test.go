package gtrole

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
	"github.com/gtrole/groundtruth-execution-role/cdk/provider"
	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// Literal sample ARNs of imported sibling resources.
const (
	token       = "arn:aws:lambda:us-east-1:123456789012:function:gt-provider"
	topicIn     = "arn:aws:sns:us-east-1:123456789012:gt-in"
	topicOut    = "arn:aws:sns:us-east-1:123456789012:gt-out"
	preFn       = "arn:aws:lambda:us-east-1:123456789012:function:gt-pre"
	postFn      = "arn:aws:lambda:us-east-1:123456789012:function:gt-post"
	dataKey     = "arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555"
	volumeKey   = "arn:aws:kms:us-east-1:123456789012:key/66666666-7777-8888-9999-000000000000"
	boundaryArn = "arn:aws:iam::123456789012:policy/gt-boundary"
	gtPolicy    = "arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"
)

// siblings are imported resources whose ARNs and names render as the literals above.
type siblings struct {
	in, out        awss3.IBucket
	topicIn        awssns.ITopic
	topicOut       awssns.ITopic
	pre, post      awslambda.IFunction
	data, volume   awskms.IKey
	boundary, gtMP awsiam.IManagedPolicy
}

func importSiblings(scope constructs.Construct) siblings {
	return siblings{
		in:       awss3.Bucket_FromBucketName(scope, jsii.String("In"), jsii.String("gt-input")),
		out:      awss3.Bucket_FromBucketName(scope, jsii.String("Out"), jsii.String("gt-output")),
		topicIn:  awssns.Topic_FromTopicArn(scope, jsii.String("TopicIn"), jsii.String(topicIn)),
		topicOut: awssns.Topic_FromTopicArn(scope, jsii.String("TopicOut"), jsii.String(topicOut)),
		pre:      awslambda.Function_FromFunctionArn(scope, jsii.String("Pre"), jsii.String(preFn)),
		post:     awslambda.Function_FromFunctionArn(scope, jsii.String("Post"), jsii.String(postFn)),
		data:     awskms.Key_FromKeyArn(scope, jsii.String("Data"), jsii.String(dataKey)),
		volume:   awskms.Key_FromKeyArn(scope, jsii.String("Volume"), jsii.String(volumeKey)),
		boundary: awsiam.ManagedPolicy_FromManagedPolicyArn(scope, jsii.String("Boundary"), jsii.String(boundaryArn)),
		gtMP:     awsiam.ManagedPolicy_FromManagedPolicyArn(scope, jsii.String("GT"), jsii.String(gtPolicy)),
	}
}

func newStack(t *testing.T) awscdk.Stack {
	t.Helper()
	app := awscdk.NewApp(&awscdk.AppProps{Outdir: jsii.String(t.TempDir())})
	return awscdk.NewStack(app, jsii.String("Test"), nil)
}

// resource is a template resource with raw properties.
type resource struct {
	Type       string                     `json:"Type"`
	Properties map[string]json.RawMessage `json:"Properties"`
}

// resources returns the stack's resources of type typ by logical id.
func resources(t *testing.T, stack awscdk.Stack, typ string) map[string]resource {
	t.Helper()
	raw, err := json.Marshal(assertions.Template_FromStack(stack, nil).ToJSON())
	if err != nil {
		t.Fatalf("marshal template: %v", err)
	}
	var tpl struct {
		Resources map[string]resource `json:"Resources"`
	}
	if err := json.Unmarshal(raw, &tpl); err != nil {
		t.Fatalf("decode template: %v", err)
	}
	out := map[string]resource{}
	for id, r := range tpl.Resources {
		if r.Type == typ {
			out[id] = r
		}
	}
	return out
}

// assertProperties checks that the single custom resource has exactly the properties in want (JSON), besides the
// ServiceTimeout every one carries (TestServiceTimeout).
func assertProperties(t *testing.T, stack awscdk.Stack, want string) {
	t.Helper()
	crs := resources(t, stack, ResourceType)
	if len(crs) != 1 {
		t.Fatalf("want one %s, got %d", ResourceType, len(crs))
	}
	for _, r := range crs {
		got, err := json.Marshal(r.Properties)
		if err != nil {
			t.Fatalf("marshal properties: %v", err)
		}
		var g, w any
		if err := json.Unmarshal(got, &g); err != nil {
			t.Fatalf("decode: %v", err)
		}
		if err := json.Unmarshal([]byte(want), &w); err != nil {
			t.Fatalf("decode want: %v", err)
		}
		w.(map[string]any)[contract.ServiceTimeout] = strconv.Itoa(contract.ServiceTimeoutSeconds)
		if !reflect.DeepEqual(g, w) {
			t.Errorf("properties:\n got  %s\n want %s", got, want)
		}
	}
}

func TestScenarioProperties(t *testing.T) {
	cases := []struct {
		name  string
		props func(s siblings) *Props
		add   func(r *GroundTruthExecutionRole, s siblings)
		want  string
	}{
		{
			name: "non-streaming",
			props: func(s siblings) *Props {
				return &Props{ServiceToken: jsii.String(token),
					InputBuckets:  []BucketAccess{{Bucket: s.in, Prefix: jsii.String("input/")}},
					OutputBuckets: []BucketAccess{{Bucket: s.out}}}
			},
			want: `{"ServiceToken":"` + token + `","InputBuckets":["gt-input/input/"],"OutputBuckets":["gt-output"]}`,
		},
		{
			name: "streaming",
			props: func(s siblings) *Props {
				return &Props{ServiceToken: jsii.String(token),
					InputBuckets:          []BucketAccess{{Bucket: s.in}},
					OutputBuckets:         []BucketAccess{{Bucket: s.out, Prefix: jsii.String("/stream/")}},
					StreamingInputTopics:  []awssns.ITopic{s.topicIn},
					StreamingOutputTopics: []awssns.ITopic{s.topicOut}}
			},
			want: `{"ServiceToken":"` + token + `","InputBuckets":["gt-input"],"OutputBuckets":["gt-output/stream/"],
				"StreamingInputTopicArns":["` + topicIn + `"],"StreamingOutputTopicArns":["` + topicOut + `"]}`,
		},
		{
			name: "custom workflow, buckets added after construction",
			props: func(s siblings) *Props {
				return &Props{ServiceToken: jsii.String(token),
					PreAnnotationFunctions:  []awslambda.IFunction{s.pre},
					PostAnnotationFunctions: []awslambda.IFunction{s.post}}
			},
			add: func(r *GroundTruthExecutionRole, s siblings) {
				r.AddInputBucket(s.in, "custom/")
				r.AddInputBucket(s.out, "")
				r.AddOutputBucket(s.out, "labels/")
			},
			want: `{"ServiceToken":"` + token + `","PreAnnotationLambdaArns":["` + preFn + `"],
				"PostAnnotationLambdaArns":["` + postFn + `"],"InputBuckets":["gt-input/custom/","gt-output"],
				"OutputBuckets":["gt-output/labels/"]}`,
		},
		{
			name: "automated labeling",
			props: func(s siblings) *Props {
				return &Props{ServiceToken: jsii.String(token),
					InputBuckets:      []BucketAccess{{Bucket: s.in}},
					OutputBuckets:     []BucketAccess{{Bucket: s.out}},
					AutomatedLabeling: jsii.Bool(true),
					VolumeKmsKeys:     []awskms.IKey{s.volume}}
			},
			want: `{"ServiceToken":"` + token + `","InputBuckets":["gt-input"],"OutputBuckets":["gt-output"],
				"AutomatedLabeling":true,"VolumeKmsKeyArns":["` + volumeKey + `"]}`,
		},
		{
			name: "kms",
			props: func(s siblings) *Props {
				return &Props{ServiceToken: jsii.String(token),
					InputBuckets:  []BucketAccess{{Bucket: s.in}},
					OutputBuckets: []BucketAccess{{Bucket: s.out}},
					KmsKeys:       []awskms.IKey{s.data}}
			},
			add: func(r *GroundTruthExecutionRole, s siblings) { r.AddKmsKey(s.volume) },
			want: `{"ServiceToken":"` + token + `","InputBuckets":["gt-input"],"OutputBuckets":["gt-output"],
				"KmsKeyArns":["` + dataKey + `","` + volumeKey + `"]}`,
		},
		{
			name: "every property",
			props: func(s siblings) *Props {
				return &Props{ServiceToken: jsii.String(token),
					RoleName:                 jsii.String("gt-labeling"),
					Path:                     jsii.String("/groundtruth/team-a/"),
					Description:              jsii.String("all of it"),
					MaxSessionDuration:       awscdk.Duration_Hours(jsii.Number(12)),
					PermissionsBoundary:      s.boundary,
					Tags:                     []awscdk.CfnTag{{Key: jsii.String("team"), Value: jsii.String("a")}},
					InputBuckets:             []BucketAccess{{Bucket: s.in}},
					OutputBuckets:            []BucketAccess{{Bucket: s.out}},
					StreamingInputTopics:     []awssns.ITopic{s.topicIn},
					StreamingOutputTopics:    []awssns.ITopic{s.topicOut},
					PreAnnotationFunctions:   []awslambda.IFunction{s.pre},
					PostAnnotationFunctions:  []awslambda.IFunction{s.post},
					AutomatedLabeling:        jsii.Bool(false),
					KmsKeys:                  []awskms.IKey{s.data},
					VolumeKmsKeys:            []awskms.IKey{s.volume},
					UseManagedPolicy:         jsii.Bool(true),
					ManagedPolicies:          []awsiam.IManagedPolicy{s.gtMP},
					ConfusedDeputyProtection: jsii.Bool(true),
					ReconcileToken:           jsii.String("repair-1")}
			},
			add: func(r *GroundTruthExecutionRole, s siblings) {
				r.AddTag("env", "test")
				r.AddStreamingInputTopic(s.topicOut)
				r.AddStreamingOutputTopic(s.topicIn)
				r.AddPreAnnotationFunction(s.post)
				r.AddPostAnnotationFunction(s.pre)
				r.AddVolumeKmsKey(s.data)
				r.AddManagedPolicy(s.boundary)
			},
			want: `{"ServiceToken":"` + token + `","RoleName":"gt-labeling","Path":"/groundtruth/team-a/",
				"Description":"all of it","MaxSessionDuration":43200,"PermissionsBoundary":"` + boundaryArn + `",
				"Tags":[{"Key":"team","Value":"a"},{"Key":"env","Value":"test"}],
				"InputBuckets":["gt-input"],"OutputBuckets":["gt-output"],
				"StreamingInputTopicArns":["` + topicIn + `","` + topicOut + `"],
				"StreamingOutputTopicArns":["` + topicOut + `","` + topicIn + `"],
				"PreAnnotationLambdaArns":["` + preFn + `","` + postFn + `"],
				"PostAnnotationLambdaArns":["` + postFn + `","` + preFn + `"],
				"AutomatedLabeling":false,"KmsKeyArns":["` + dataKey + `"],
				"VolumeKmsKeyArns":["` + volumeKey + `","` + dataKey + `"],"UseManagedPolicy":true,
				"ManagedPolicyArns":["` + gtPolicy + `","` + boundaryArn + `"],"ConfusedDeputyProtection":true,
				"ReconcileToken":"repair-1"}`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack(t)
			s := importSiblings(stack)
			r := NewGroundTruthExecutionRole(stack, "Role", tc.props(s))
			if tc.add != nil {
				tc.add(r, s)
			}
			assertProperties(t, stack, tc.want)
			if n := len(resources(t, stack, "AWS::Lambda::Function")); n != 0 {
				t.Errorf("a ServiceToken was given, yet %d Lambda functions were created", n)
			}
		})
	}
}

func TestOwnedSiblingsRenderAsReferences(t *testing.T) {
	stack := newStack(t)
	bucket := awss3.NewBucket(stack, jsii.String("Data"), nil)
	key := awskms.NewKey(stack, jsii.String("Key"), nil)
	topic := awssns.NewTopic(stack, jsii.String("Topic"), nil)
	NewGroundTruthExecutionRole(stack, "Role", &Props{
		ServiceToken:         jsii.String(token),
		InputBuckets:         []BucketAccess{{Bucket: bucket, Prefix: jsii.String("in/")}},
		OutputBuckets:        []BucketAccess{{Bucket: bucket}},
		StreamingInputTopics: []awssns.ITopic{topic},
		KmsKeys:              []awskms.IKey{key},
	})
	id := func(typ string) string {
		for id := range resources(t, stack, typ) {
			return id
		}
		t.Fatalf("no %s", typ)
		return ""
	}
	b, k, tp := id("AWS::S3::Bucket"), id("AWS::KMS::Key"), id("AWS::SNS::Topic")
	assertProperties(t, stack, `{"ServiceToken":"`+token+`",
		"InputBuckets":[{"Fn::Join":["",[{"Ref":"`+b+`"},"/in/"]]}],"OutputBuckets":[{"Ref":"`+b+`"}],
		"StreamingInputTopicArns":[{"Ref":"`+tp+`"}],"KmsKeyArns":[{"Fn::GetAtt":["`+k+`","Arn"]}]}`)
}

func TestAttributesAreGetAtts(t *testing.T) {
	stack := newStack(t)
	r := NewGroundTruthExecutionRole(stack, "Role", &Props{ServiceToken: jsii.String(token)})
	var crID string
	for id := range resources(t, stack, ResourceType) {
		crID = id
	}
	attrs := map[string]*string{
		"Arn": r.RoleArn(), "RoleName": r.RoleName(), "RoleId": r.RoleId(), "Path": r.RolePath(),
	}
	for name, v := range attrs {
		raw, err := json.Marshal(stack.Resolve(v))
		if err != nil {
			t.Fatalf("marshal: %v", err)
		}
		if want := `{"Fn::GetAtt":["` + crID + `","` + name + `"]}`; string(raw) != want {
			t.Errorf("%s resolves to %s, want %s", name, raw, want)
		}
	}
	raw, err := json.Marshal(stack.Resolve(r.Role().RoleArn()))
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	if want := `{"Fn::GetAtt":["` + crID + `","Arn"]}`; string(raw) != want {
		t.Errorf("Role().RoleArn() resolves to %s, want %s", raw, want)
	}
}

func TestSingletonProviderIsSharedPerStack(t *testing.T) {
	stack := newStack(t)
	settings := &provider.Props{CodePath: jsii.String(cdktest.PlaceholderZip(t, t.TempDir()))}
	NewGroundTruthExecutionRole(stack, "First", &Props{Provider: settings})
	NewGroundTruthExecutionRole(stack, "Second", &Props{})

	fns := resources(t, stack, "AWS::Lambda::Function")
	if len(fns) != 1 {
		t.Fatalf("want one provider function for two roles, got %d", len(fns))
	}
	if n := len(resources(t, stack, "AWS::IAM::Role")); n != 1 {
		t.Errorf("want one provider role, got %d", n)
	}
	var fnID string
	for id := range fns {
		fnID = id
	}
	crs := resources(t, stack, ResourceType)
	if len(crs) != 2 {
		t.Fatalf("want two roles, got %d", len(crs))
	}
	for id, r := range crs {
		want := `{"Fn::GetAtt":["` + fnID + `","Arn"]}`
		if string(r.Properties["ServiceToken"]) != want {
			t.Errorf("%s ServiceToken = %s, want %s", id, r.Properties["ServiceToken"], want)
		}
	}
	if stack.Node().TryFindChild(jsii.String(SingletonProviderID)) == nil {
		t.Errorf("no provider at %s", SingletonProviderID)
	}
}

func TestRejectsInvalidProps(t *testing.T) {
	cases := []struct {
		name  string
		props func(s siblings) *Props
	}{
		{"session too short", func(siblings) *Props {
			return &Props{ServiceToken: jsii.String(token), MaxSessionDuration: awscdk.Duration_Minutes(jsii.Number(30))}
		}},
		{"session too long", func(siblings) *Props {
			return &Props{ServiceToken: jsii.String(token), MaxSessionDuration: awscdk.Duration_Hours(jsii.Number(13))}
		}},
		{"bucket access without bucket", func(siblings) *Props {
			return &Props{ServiceToken: jsii.String(token), InputBuckets: []BucketAccess{{Prefix: jsii.String("x/")}}}
		}},
		{"tag without value", func(siblings) *Props {
			return &Props{ServiceToken: jsii.String(token), Tags: []awscdk.CfnTag{{Key: jsii.String("k")}}}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			stack := newStack(t)
			s := importSiblings(stack)
			defer func() {
				if recover() == nil {
					t.Error("NewGroundTruthExecutionRole accepted invalid props")
				}
			}()
			NewGroundTruthExecutionRole(stack, "Role", tc.props(s))
		})
	}
}
