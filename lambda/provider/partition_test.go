package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-lambda-go/lambdacontext"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/reconcile"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// recordingRoles keeps the desired role of a Create and makes no call.
type recordingRoles struct{ created []iamdoc.Role }

func (r *recordingRoles) Create(_ context.Context, desired iamdoc.Role, _ reconcile.Owner) (reconcile.Result, error) {
	r.created = append(r.created, desired)
	return reconcile.Result{RoleName: desired.RoleName}, nil
}

func (r *recordingRoles) Update(context.Context, string, iamdoc.Role, reconcile.Owner) (reconcile.Result, error) {
	return reconcile.Result{}, nil
}

func (r *recordingRoles) Delete(context.Context, string, reconcile.Owner) error { return nil }

func (r *recordingRoles) Inspect(context.Context, string, reconcile.Owner) (reconcile.Existing, error) {
	return reconcile.Existing{}, nil
}

func (r *recordingRoles) RemoveUnfinished(context.Context, string, reconcile.Owner) (bool, error) {
	return false, nil
}

// TestPartitionFromFunctionARN checks that the role is made in the partition of the Lambda's own function ARN
// in every partition, including those the region's name used to be mistaken for (us-iso-* as aws) or refused
// (eusc-de-east-1).
func TestPartitionFromFunctionARN(t *testing.T) {
	tests := []struct{ region, partition string }{
		{"us-east-1", "aws"},
		{"cn-north-1", "aws-cn"},
		{"us-gov-west-1", "aws-us-gov"},
		{"us-iso-east-1", "aws-iso"},
		{"us-isob-east-1", "aws-iso-b"},
		{"eu-isoe-west-1", "aws-iso-e"},
		{"us-isof-south-1", "aws-iso-f"},
		{"eusc-de-east-1", "aws-eusc"},
	}
	for _, tt := range tests {
		t.Run(tt.partition, func(t *testing.T) {
			settings, err := spec.SettingsFromEnv(func(string) string { return "" }, tt.partition)
			if err != nil {
				t.Fatal(err)
			}
			roles := &recordingRoles{}
			p := &Provider{Roles: roles, Stacks: &confirmAll{}, Settings: settings, Region: tt.region}
			ctx := lambdacontext.NewContext(context.Background(), &lambdacontext.LambdaContext{
				InvokedFunctionArn: "arn:" + tt.partition + ":lambda:" + tt.region + ":210987654321:function:gt-provider",
			})
			ev := cfn.Event{
				RequestType: cfn.RequestCreate, RequestID: "r", StackID: "arn:" + tt.partition + ":cloudformation:" + tt.region + ":210987654321:stack/s/1", LogicalResourceID: "Role",
				ResourceProperties: map[string]any{
					"RoleName":          "gt-role",
					"InputBuckets":      []any{"arn:" + tt.partition + ":s3:::gt-input"},
					"OutputBuckets":     []any{"gt-output"},
					"AutomatedLabeling": "true",
					"UseManagedPolicy":  "true",
				},
			}
			if _, _, err := p.Work(ctx, ev); err != nil {
				t.Fatalf("Create: %v", err)
			}
			if len(roles.created) != 1 {
				t.Fatalf("created %d roles, want 1", len(roles.created))
			}
			r := roles.created[0]
			if want := "arn:" + tt.partition + ":iam::aws:policy/AmazonSageMakerGroundTruthExecution"; !slices.Equal(r.ManagedPolicyArns, []string{want}) {
				t.Errorf("managed policies %v, want %s", r.ManagedPolicyArns, want)
			}
			for _, ip := range r.Policies {
				for _, st := range ip.PolicyDocument.Statement {
					for _, res := range st.Resource {
						if res != "*" && !strings.HasPrefix(res, "arn:"+tt.partition+":") {
							t.Errorf("%s: resource %s is not in partition %s", st.Sid, res, tt.partition)
						}
					}
					for _, res := range st.Resource {
						if strings.Contains(res, ":iam::") && !strings.Contains(res, ":210987654321:") {
							t.Errorf("%s: resource %s is not in the function's account", st.Sid, res)
						}
					}
				}
			}
		})
	}
}
