package iamauthz

import (
	"testing"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// TestCreateNetworkInterface checks that CreateNetworkInterface needs all three resources allowed and that a
// condition on ec2:Subnet can never allow the new interface, as in IAM.
func TestCreateNetworkInterface(t *testing.T) {
	n := Network{Partition: "aws", Account: "123456789012", Region: "us-east-1", Vpc: "vpc-0123456789abcdef0", AvailabilityZone: "us-east-1a"}
	const sub, sg = "subnet-0123456789abcdef0", "sg-0123456789abcdef0"
	subnetARN, groupARN, interfaces := n.arn("subnet/"+sub), n.arn("security-group/"+sg), n.arn("network-interface/*")
	create := iamdoc.Strings{"ec2:CreateNetworkInterface"}
	tests := []struct {
		name       string
		statements []iamdoc.Statement
		want       bool
	}{
		{"all three resources", []iamdoc.Statement{{Effect: iamdoc.Allow, Action: create, Resource: iamdoc.Strings{subnetARN, groupARN, interfaces}}}, true},
		{"no security group", []iamdoc.Statement{{Effect: iamdoc.Allow, Action: create, Resource: iamdoc.Strings{subnetARN, interfaces}}}, false},
		{"no new interface", []iamdoc.Statement{{Effect: iamdoc.Allow, Action: create, Resource: iamdoc.Strings{subnetARN, groupARN}}}, false},
		{"new interface only under ec2:Subnet", []iamdoc.Statement{
			{Effect: iamdoc.Allow, Action: create, Resource: iamdoc.Strings{subnetARN, groupARN}},
			{Effect: iamdoc.Allow, Action: create, Resource: iamdoc.Strings{interfaces}, Condition: iamdoc.Condition{"ArnEquals": {"ec2:Subnet": {subnetARN}}}},
		}, false},
		{"subnet by its own key", []iamdoc.Statement{
			{Effect: iamdoc.Allow, Action: create, Resource: iamdoc.Strings{groupARN, interfaces}},
			{Effect: iamdoc.Allow, Action: create, Resource: iamdoc.Strings{n.arn("subnet/*")}, Condition: iamdoc.Condition{"StringEquals": {"ec2:SubnetID": {sub}}}},
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPolicy(iamdoc.Document{Statement: tt.statements})
			if err != nil {
				t.Fatal(err)
			}
			if got, denied := p.DecideAll(CreateNetworkInterface(n, sub, sg)); got.Allowed != tt.want {
				t.Errorf("allowed = %v, want %v (denied: %+v)", got.Allowed, tt.want, denied)
			}
		})
	}
	if d, _ := (Policy{}).DecideAll(nil); d.Allowed {
		t.Error("a call with no resource was allowed")
	}
	existing := OnNetworkInterface(n, "ec2:DeleteNetworkInterface", "eni-0123456789abcdef0", sub)
	p, _ := NewPolicy(iamdoc.Document{Statement: []iamdoc.Statement{{Effect: iamdoc.Allow, Action: iamdoc.Strings{"ec2:DeleteNetworkInterface"},
		Resource: iamdoc.Strings{interfaces}, Condition: iamdoc.Condition{"ArnEquals": {"ec2:Subnet": {subnetARN}}}}}})
	if !p.Decide(existing).Allowed {
		t.Errorf("DeleteNetworkInterface in the subnet denied: %+v", existing)
	}
	if other := OnNetworkInterface(n, "ec2:DeleteNetworkInterface", "eni-0123456789abcdef0", "subnet-0fedcba9876543210"); p.Decide(other).Allowed {
		t.Errorf("DeleteNetworkInterface in another subnet allowed: %+v", other)
	}
}
