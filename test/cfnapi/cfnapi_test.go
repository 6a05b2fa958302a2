package cfnapi

import (
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/cfn"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudformation"

	"github.com/gtrole/groundtruth-execution-role/lambda/stackcheck"
)

const stackID = "arn:aws:cloudformation:us-east-1:123456789012:stack/team/1c2fa620-982a-11e3-aff7-50e2416294e0"

// TestTheSDKClientReadsTheModel: the SDK's CloudFormation client, through stackcheck, reads what the model holds,
// gets ValidationError for what it does not, and an unavailable refusal when every call fails.
func TestTheSDKClientReadsTheModel(t *testing.T) {
	s, err := Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	client := cloudformation.New(cloudformation.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(s.URL()), RetryMaxAttempts: 2,
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
	c := &stackcheck.Checker{CFN: client}
	req := stackcheck.Request{
		Home: stackcheck.Home{Partition: "aws", Region: "us-east-1", Account: "123456789012"},
		Type: cfn.RequestUpdate, StackID: stackID, LogicalID: "Role", PhysicalID: "team-role", ResourceType: "Custom::GroundTruthExecutionRole",
	}
	if _, err := c.Verify(t.Context(), req); err == nil || !strings.Contains(err.Error(), "Stack with id "+stackID+" does not exist") {
		t.Errorf("unknown stack: %v", err)
	}
	s.Set(stackID, "UPDATE_IN_PROGRESS", Resource{LogicalID: "Role", Type: "Custom::GroundTruthExecutionRole", PhysicalID: "team-role", Status: "UPDATE_IN_PROGRESS"})
	v, err := c.Verify(t.Context(), req)
	if err != nil || v.Named != "team-role" || v.StackStatus != "UPDATE_IN_PROGRESS" {
		t.Errorf("Verify = %+v, %v; want the role named in UPDATE_IN_PROGRESS", v, err)
	}
	req.LogicalID = "Other"
	if _, err := c.Verify(t.Context(), req); err == nil || !strings.Contains(err.Error(), "Resource Other does not exist for stack team") {
		t.Errorf("unknown resource: %v", err)
	}
	s.Fail("Throttling")
	_, err = c.Verify(t.Context(), req)
	var r *stackcheck.Refused
	if !errors.As(err, &r) || !r.Unavailable {
		t.Errorf("failing model: %v, want an unavailable refusal", err)
	}
	if n := len(s.Calls()); n != 7 { // 1 + 2 + 2 + 2 tries of the throttled call
		t.Errorf("%d calls, want 7: %+v", n, s.Calls())
	}
}
