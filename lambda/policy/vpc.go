package policy

import (
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/spec"
)

// vpcDescribeActions are the read-only EC2 actions SageMaker lists for jobs in a VPC; they take no resource, so
// they are granted on "*".
var vpcDescribeActions = []string{
	"ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
}

// vpcInterfaceActions act on an existing network interface; each is limited to interfaces in the declared subnets
// with the ec2:Subnet condition key (the subnet's ARN), which the Service Authorization Reference lists on the
// network-interface resource of each of these three actions.
var vpcInterfaceActions = []string{
	"ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission",
}

// vpcStatements let automated labeling's training and inference jobs run in the declared VPC: create network
// interfaces only in the declared subnets with the declared security groups, change and delete only interfaces
// in those subnets, and describe the network.
//
// ec2:CreateNetworkInterface is authorized on three resources at once: the new network-interface, the subnet and
// the security group; each must be allowed. The Service Authorization Reference for Amazon EC2
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html) gives the new
// network-interface of CreateNetworkInterface only aws:RequestTag/${TagKey}, aws:TagKeys and ec2:NetworkInterfaceID
// (not ec2:Subnet: a condition on it is never met), so the new interface is granted on network-interface/* without
// a condition, and the subnet and security-group ARNs are what confine it. The actions:
// https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html (CreateTrainingJob with a VpcConfig),
// https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html and
// https://docs.aws.amazon.com/sagemaker/latest/dg/samurai-vpc-labeling-job.html.
func vpcStatements(s spec.Spec, scope Scope) []iamdoc.Statement {
	if s.VpcConfig == nil || !s.AutomatedLabeling {
		return nil
	}
	ec2 := "arn:" + scope.Partition + ":ec2:" + scope.region() + ":" + scope.Account + ":"
	var subnets, groups []string
	for _, id := range s.VpcConfig.Subnets {
		subnets = append(subnets, ec2+"subnet/"+id)
	}
	for _, id := range s.VpcConfig.SecurityGroupIds {
		groups = append(groups, ec2+"security-group/"+id)
	}
	return []iamdoc.Statement{
		{Sid: "VpcDescribe", Effect: iamdoc.Allow, Action: iamdoc.NewStrings(vpcDescribeActions...), Resource: iamdoc.NewStrings("*")},
		{
			Sid:      "VpcCreateNetworkInterfaceInSubnets",
			Effect:   iamdoc.Allow,
			Action:   iamdoc.NewStrings("ec2:CreateNetworkInterface"),
			Resource: iamdoc.NewStrings(append(append(subnets, groups...), ec2+"network-interface/*")...),
		},
		{
			Sid:       "VpcNetworkInterfacesInSubnets",
			Effect:    iamdoc.Allow,
			Action:    iamdoc.NewStrings(vpcInterfaceActions...),
			Resource:  iamdoc.NewStrings(ec2 + "network-interface/*"),
			Condition: iamdoc.Condition{"ArnEquals": {"ec2:Subnet": iamdoc.NewStrings(subnets...)}},
		},
	}
}
