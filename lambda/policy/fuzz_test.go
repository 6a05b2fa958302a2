package policy_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/policy"
	"github.com/gtrole/groundtruth-execution-role/lambda/propfile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
	"github.com/gtrole/groundtruth-execution-role/lambda/trustpolicy"
)

const (
	fuzzAccount   = "123456789012"
	generatedName = "GroundTruthExecutionRole"
)

// fuzzRegions are the regions the fuzzer picks from, one per partition.
var fuzzRegions = []string{"us-east-1", "cn-north-1", "us-gov-west-1"}

// trickySeeds are inputs near the edges of the rules, each with the index of its region in fuzzRegions.
var trickySeeds = []struct {
	text   string
	region uint8
}{
	{`{"InputBuckets":["arn:aws:s3:::*"],"OutputBuckets":["out-b"]}`, 0},
	{`{"InputBuckets":["in-b/*"],"OutputBuckets":["out-b"]}`, 0},
	{`{"InputBuckets":["in-b/home/${aws:username}/"],"OutputBuckets":["out-b"]}`, 0},
	{`{"InputBuckets":"in-b,other-b","OutputBuckets":"out-b"}`, 0},
	{`{"InputBuckets":"in-b/p","OutputBuckets":"out-b/q/"}`, 0},
	{`{"InputBuckets":["in-b/"],"OutputBuckets":["out-b"]}`, 0},
	{`{"InputBuckets":["in-b","in-b","in-b/p/","arn:aws:s3:::in-b/p/"],"OutputBuckets":["in-b"]}`, 0},
	{`{"InputBuckets":["b-b/Ünïcødé €/"],"OutputBuckets":["o-o/a\"b\\c<d>&e'f/"]}`, 0},
	{"{\"InputBuckets\":[\"b-b/line\u2028sep/\"],\"OutputBuckets\":[\"o-o/tab\\tx\"]}", 0},
	{`{"OutputBuckets":["o-b"],"StreamingInputTopicArns":["arn:aws:sns:us-east-1:123456789012:t"],"StreamingOutputTopicArns":"arn:aws:sns:eu-west-1:210987654321:out.fifo"}`, 0},
	{`{"OutputBuckets":["o-b"],"StreamingInputTopicArns":["arn:aws:sns:us-east-1:123456789012:*"]}`, 0},
	{`{"OutputBuckets":["o-b"],"StreamingInputTopicArns":["arn:aws:sqs:us-east-1:123456789012:t"]}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"PreAnnotationLambdaArns":["arn:aws:lambda:us-east-1:123456789012:function:pre:$LATEST"],"PostAnnotationLambdaArns":["arn:aws:lambda:us-west-2:123456789012:function:post:7"]}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"KmsKeyArns":["arn:aws:kms:us-east-1:123456789012:alias/k"]}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"VolumeKmsKeyArns":["arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"],"AutomatedLabeling":true,"RoleName":"gt-auto","Path":"/groundtruth/a.b/"}`, 0},
	{`{"InputBuckets":["arn:aws-cn:s3:::i-b/p/"],"OutputBuckets":["o-b"],"StreamingInputTopicArns":["arn:aws-cn:sns:cn-northwest-1:123456789012:t"],"KmsKeyArns":["arn:aws-cn:kms:cn-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"],"UseManagedPolicy":"true","ConfusedDeputyProtection":"true"}`, 1},
	{`{"InputBuckets":["arn:aws:s3:::i-b"],"OutputBuckets":["o-b"],"StreamingInputTopicArns":["arn:aws:sns:cn-north-1:123456789012:t"]}`, 1},
	{`{"InputBuckets":["arn:aws-us-gov:s3:::i-b"],"OutputBuckets":["o-b"],"PreAnnotationLambdaArns":["arn:aws-us-gov:lambda:us-gov-east-1:123456789012:function:f"],"AutomatedLabeling":"TRUE","PermissionsBoundary":"arn:aws-us-gov:iam::123456789012:policy/b"}`, 2},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"PermissionsBoundary":"arn:aws:iam::aws:policy/*"}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"PostAnnotationLambdaArns":["arn:aws:lambda:us-east-1:123456789012:function:post"],"PostAnnotationLambdaRoleArns":["arn:aws:iam::123456789012:role/lambda/post","arn:aws:iam::210987654321:role/x"]}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"PostAnnotationLambdaArns":["arn:aws:lambda:us-east-1:123456789012:function:post"],"PostAnnotationLambdaRoleArns":"arn:aws:iam::123456789012:role/service-role/post"}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"KmsKeyArns":["arn:aws:kms:us-east-1:999988887777:key/1234abcd-12ab-34cd-56ef-1234567890ab"]}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"ManagedPolicyArns":["arn:aws:iam::aws:policy/AmazonSageMakerGroundTruthExecution"],"UseManagedPolicy":true}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"MaxSessionDuration":7200,"Tags":[{"Key":"a","Value":1},{"Key":"A","Value":"x"}]}`, 0},
	{`{"InputBuckets":["i-b"],"OutputBuckets":["o-b"],"ServiceToken":"*","ServiceTimeout":"300","RoleName":"*"}`, 0},
	{`{"InputBuckets":["192.168.5.4"],"OutputBuckets":["xn--b","b.mrap","b--x-s3"]}`, 0},
	{"InputBuckets: [i-b]\nOutputBuckets: o-b\nAutomatedLabeling: yes\nRoleName: 0123\n", 0},
	{"", 0},
	{"null", 1},
	{"[]", 2},
	{"- a\n- b\n", 0},
	{"{", 0},
	{`{"InputBuckets":[null,1,true,{}],"OutputBuckets":{}}`, 0},
	{manyBuckets(300), 0},
	{manyBuckets(40), 2},
}

// manyBuckets is a valid input with n long input bucket prefixes, large enough to reach IAM's size quota.
func manyBuckets(n int) string {
	var b strings.Builder
	b.WriteString(`{"OutputBuckets":["out-b"],"InputBuckets":[`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"bucket-%03d/%s/"`, i, strings.Repeat("p", 40))
	}
	b.WriteString("]}")
	return b.String()
}

// FuzzRender feeds arbitrary property documents through Decode, Parse and Build and checks that accepted
// input renders a role whose policies grant only on what was declared, in the target's partition.
func FuzzRender(f *testing.F) {
	files, err := filepath.Glob("../../test/testdata/properties/*.yaml")
	if err != nil || len(files) == 0 {
		f.Fatalf("no scenario files in test/testdata/properties: %v", err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for i := range fuzzRegions {
			f.Add(data, uint8(i))
		}
	}
	for _, s := range trickySeeds {
		f.Add([]byte(s.text), s.region)
	}
	f.Fuzz(func(t *testing.T, data []byte, choice uint8) {
		checkRender(t, data, fuzzRegions[int(choice)%len(fuzzRegions)])
	})
}

func checkRender(t *testing.T, data []byte, region string) {
	props, err := propfile.Decode(data)
	if err != nil {
		return
	}
	partition := spec.PartitionOf(region)
	settings, err := spec.SettingsFromEnv(func(string) string { return "" }, partition)
	if err != nil {
		t.Fatalf("default settings: %v", err)
	}
	s, err := spec.Parse(props, spec.Target{Account: fuzzAccount, Region: region, Settings: settings})
	if err != nil {
		checkRejection(t, s, err)
		return
	}
	name := s.RoleName
	if name == "" {
		name = generatedName
	}
	scope := policy.Scope{Account: fuzzAccount, Partition: partition, Region: region}
	role, err := policy.Build(s, scope, name)
	if err != nil {
		var quota *policy.QuotaError
		if !errors.As(err, &quota) {
			t.Fatalf("Build failed with %T, want only *policy.QuotaError: %v", err, err)
		}
		if quota.Size <= quota.Limit {
			t.Errorf("quota error with size %d within limit %d", quota.Size, quota.Limit)
		}
		return
	}

	d := declaredFrom(props, partition, region)
	d.resources[policy.ARN(scope, rawPath(props), rawRoleName(props))] = "the role's own ARN"
	for _, p := range role.Policies {
		for _, st := range p.PolicyDocument.Statement {
			checkStatement(t, p.PolicyName, st, d, partition)
		}
		checkEncoding(t, p.PolicyName, p.PolicyDocument)
	}
	checkEncoding(t, "trust policy", role.AssumeRolePolicyDocument)
	checkRoleARNs(t, role, partition)

	again, err := policy.Build(s, scope, name)
	if err != nil {
		t.Fatalf("second Build: %v", err)
	}
	first, _ := json.Marshal(role)
	second, _ := json.Marshal(again)
	if !bytes.Equal(first, second) {
		t.Errorf("two Builds of the same spec differ:\n%s\n%s", first, second)
	}
}

// checkRejection: a rejected input yields no spec and a non-empty spec.Problems, each naming its property.
func checkRejection(t *testing.T, s spec.Spec, err error) {
	t.Helper()
	var ps spec.Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("Parse failed with %T %v, want non-empty spec.Problems", err, err)
	}
	for _, p := range ps {
		if p.Property == "" || p.Message == "" {
			t.Errorf("problem without property or message: %+v", p)
		}
	}
	if s.Path != "" || s.OutputBuckets != nil || s.InputBuckets != nil || s.Tags != nil || s.StreamingInputTopicArns != nil ||
		s.KmsKeyArns != nil || s.PreAnnotationLambdaArns != nil || s.ManagedPolicyArns != nil || s.PermissionsBoundary != "" {
		t.Errorf("Parse returned a spec with its error: %+v", s)
	}
}

// declared holds the resources an accepted input may be granted on, each with where it came from.
type declared struct {
	resources map[string]string
	objects   map[string]bool // bucket/prefix* ARNs, whose trailing * is allowed
}

// declaredFrom reads the declared values straight from the raw properties, independently of spec.Parse.
func declaredFrom(props map[string]any, partition, region string) declared {
	d := declared{resources: map[string]string{}, objects: map[string]bool{}}
	if vpc, ok := props["VpcConfig"].(map[string]any); ok {
		ec2 := "arn:" + partition + ":ec2:" + region + ":" + fuzzAccount + ":"
		for _, id := range rawList(vpc["Subnets"]) {
			d.resources[ec2+"subnet/"+id] = "VpcConfig.Subnets"
		}
		for _, id := range rawList(vpc["SecurityGroupIds"]) {
			d.resources[ec2+"security-group/"+id] = "VpcConfig.SecurityGroupIds"
		}
		d.resources[ec2+"network-interface/*"] = "VpcConfig"
		d.objects[ec2+"network-interface/*"] = true
	}
	for _, name := range []string{"InputBuckets", "OutputBuckets"} {
		for _, v := range rawList(props[name]) {
			bucket, prefix, _ := strings.Cut(strings.TrimPrefix(v, "arn:"+partition+":s3:::"), "/")
			if prefix != "" && !strings.HasSuffix(prefix, "/") {
				prefix += "/" // a prefix is a folder
			}
			arn := "arn:" + partition + ":s3:::" + bucket
			d.resources[arn] = name
			d.resources[arn+"/"+prefix+"*"] = name
			d.objects[arn+"/"+prefix+"*"] = true
		}
	}
	for _, name := range []string{"StreamingInputTopicArns", "StreamingOutputTopicArns", "PreAnnotationLambdaArns", "PostAnnotationLambdaArns", "KmsKeyArns", "VolumeKmsKeyArns"} {
		for _, v := range rawList(props[name]) {
			d.resources[v] = name
		}
	}
	return d
}

func rawList(v any) []string {
	var out []string
	switch x := v.(type) {
	case string:
		if s := strings.TrimSpace(x); s != "" {
			out = append(out, s)
		}
	case []any:
		for _, item := range x {
			if s, ok := item.(string); ok {
				out = append(out, strings.TrimSpace(s))
			}
		}
	}
	return out
}

func rawScalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

func rawPath(props map[string]any) string {
	if p := rawScalar(props["Path"]); strings.TrimSpace(p) != "" {
		return p
	}
	return contract.DefaultRolePathPrefix
}

func rawRoleName(props map[string]any) string {
	if n := rawScalar(props["RoleName"]); strings.TrimSpace(n) != "" {
		return n
	}
	return generatedName
}

// The statements the reference grants on every resource ("*"), with their fixed actions.
var (
	cloudWatchActions = []string{"cloudwatch:PutMetricData", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"}
	taggedTag         = "s3:ExistingObjectTag/SageMaker"
)

func checkStatement(t *testing.T, policyName string, st iamdoc.Statement, d declared, partition string) {
	t.Helper()
	where := policyName + "/" + st.Sid
	if st.Effect != iamdoc.Allow || len(st.Action) == 0 || len(st.Resource) == 0 || st.Principal != nil {
		t.Errorf("%s: want an Allow statement with actions and resources and no principal: %+v", where, st)
	}
	// The Ground Truth queues: one per region of the declared input topics.
	queues := map[string]bool{}
	for r, from := range d.resources {
		if parts := strings.SplitN(r, ":", 6); from == "StreamingInputTopicArns" && len(parts) == 6 {
			queues["arn:"+partition+":sqs:"+parts[3]+":"+fuzzAccount+":*GroundTruth*"] = true
		}
	}
	if policyName == policy.PolicyS3 {
		// The data perimeter: with the default settings, every S3 statement holds only in the role's account.
		if got := st.Condition["StringEquals"]["s3:ResourceAccount"]; !slices.Equal(got, []string{fuzzAccount}) {
			t.Errorf("%s: s3:ResourceAccount = %v, want [%s]", where, got, fuzzAccount)
		}
	}
	for _, r := range st.Resource {
		switch {
		case r == "*":
			cloudWatch := policyName == policy.PolicyCloudWatch && slices.Equal(st.Action, cloudWatchActions)
			tagged := policyName == policy.PolicyS3 && slices.Equal(st.Action, []string{"s3:GetObject"}) &&
				slices.Equal(st.Condition["StringEqualsIgnoreCase"][taggedTag], []string{"true"})
			describe := policyName == policy.PolicyAutomatedLabeling && !slices.ContainsFunc(st.Action, func(a string) bool { return !strings.HasPrefix(a, "ec2:Describe") })
			unsubscribe := policyName == policy.PolicyStreaming && slices.Equal(st.Action, []string{"sns:Unsubscribe"}) && len(st.Condition) == 0
			if !cloudWatch || len(st.Resource) != 1 {
				if (!tagged && !describe && !unsubscribe) || len(st.Resource) != 1 {
					t.Errorf("%s: Resource * outside the CloudWatch and tagged-object statements: %+v", where, st)
				}
			}
		case queues[r]:
			if policyName != policy.PolicyStreaming {
				t.Errorf("%s: Ground Truth queue ARN outside the streaming policy", where)
			}
		default:
			if _, ok := d.resources[r]; !ok {
				t.Errorf("%s: Resource %q is not derived from any declared value", where, r)
			}
			rest := r
			if d.objects[r] {
				rest = strings.TrimSuffix(r, "*")
			}
			if strings.ContainsAny(rest, "*?") || strings.Contains(r, "${") {
				t.Errorf("%s: Resource %q has a wildcard or policy variable", where, r)
			}
			checkARN(t, where, r, partition)
		}
	}
	for op, keys := range st.Condition {
		for k, values := range keys {
			for _, v := range values {
				if _, isDeclared := d.resources[v]; strings.HasPrefix(v, "arn:") && !queues[v] && !isDeclared {
					t.Errorf("%s: condition %s %s names %q", where, op, k, v)
				}
			}
		}
	}
}

// checkARN: r is in the partition and, where the service is regional, names a region of it and an account.
func checkARN(t *testing.T, where, r, partition string) {
	t.Helper()
	parts := strings.SplitN(r, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[1] != partition {
		t.Errorf("%s: %q is not an ARN in partition %s", where, r, partition)
		return
	}
	switch parts[2] {
	case "s3":
		if parts[3] != "" || parts[4] != "" {
			t.Errorf("%s: S3 ARN %q has a region or account", where, r)
		}
	case "iam":
		if parts[3] != "" || parts[4] != fuzzAccount {
			t.Errorf("%s: IAM ARN %q is not in account %s", where, r, fuzzAccount)
		}
	case "sns", "lambda", "kms", "ec2":
		if !spec.ValidRegion(parts[3]) || spec.PartitionOf(parts[3]) != partition {
			t.Errorf("%s: %q has region %q outside partition %s", where, r, parts[3], partition)
		}
		if parts[4] != fuzzAccount {
			t.Errorf("%s: %q has account %q, outside the role's account %s (the default data perimeter)", where, r, parts[4], fuzzAccount)
		}
	default:
		t.Errorf("%s: %q is an ARN of an unexpected service", where, r)
	}
}

// checkEncoding: the document encodes the same way twice and round-trips through Parse.
func checkEncoding(t *testing.T, what string, doc iamdoc.Document) {
	t.Helper()
	a, err := doc.Encode()
	if err != nil {
		t.Fatalf("%s: Encode: %v", what, err)
	}
	b, err := doc.Encode()
	if err != nil || !bytes.Equal(a, b) {
		t.Errorf("%s: two encodings differ:\n%s\n%s", what, a, b)
	}
	parsed, err := iamdoc.Parse(string(a))
	if err != nil {
		t.Fatalf("%s: Parse of the encoding: %v\n%s", what, err, a)
	}
	if !iamdoc.Equivalent(doc, parsed) {
		t.Errorf("%s: round trip is not Equivalent:\n%s\n%s", what, a, parsed.String())
	}
	if c, err := parsed.Encode(); err != nil || !bytes.Equal(a, c) {
		t.Errorf("%s: re-encoding the parsed document differs:\n%s\n%s", what, a, c)
	}
}

// checkRoleARNs: the attached policies, boundary and trust condition stay in the target's partition and account.
func checkRoleARNs(t *testing.T, role iamdoc.Role, partition string) {
	t.Helper()
	allowed := spec.GroundTruthManagedPolicy(partition)
	for _, m := range role.ManagedPolicyArns {
		if m != allowed {
			t.Errorf("managed policy %q is not on the default allow-list (%s)", m, allowed)
		}
	}
	if b := role.PermissionsBoundary; b != "" && !strings.HasPrefix(b, "arn:"+partition+":iam::") {
		t.Errorf("boundary %q is outside partition %s", b, partition)
	}
	for _, st := range role.AssumeRolePolicyDocument.Statement {
		if st.Sid == "PostAnnotationLambdaAssumeRole" && st.Principal != nil && len(st.Principal.Service) == 0 && len(st.Condition) == 0 {
			for _, r := range st.Principal.AWS {
				if !strings.HasPrefix(r, "arn:"+partition+":iam::"+fuzzAccount+":role/") {
					t.Errorf("trust statement lets a role outside the account assume the role: %q", r)
				}
			}
			continue
		}
		if st.Principal == nil || !slices.Equal(st.Principal.Service, []string{trustpolicy.ServicePrincipal}) || len(st.Principal.AWS) > 0 {
			t.Errorf("trust statement names another principal: %+v", st)
		}
		for _, v := range st.Condition["StringEquals"]["aws:SourceAccount"] {
			if v != fuzzAccount {
				t.Errorf("trust condition names account %q", v)
			}
		}
	}
}
