package policy

import "github.com/gtrole/groundtruth-execution-role/lambda/spec"

// vpcDescribeActions are the read-only EC2 actions SageMaker lists for jobs in a VPC; they take no resource, so
// they are granted on "*".
var vpcDescribeActions = []string{
	"ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVpcs",
}

// vpcInterfaceActions act on a network interface; each is limited to interfaces in the declared subnets with the
// ec2:Subnet condition key (the subnet's ARN).
var vpcInterfaceActions = []string{
	"ec2:CreateNetworkInterface", "ec2:CreateNetworkInterfacePermission", "ec2:DeleteNetworkInterface", "ec2:DeleteNetworkInterfacePermission",
}

// vpcStatements let automated labeling's training and inference jobs run in the declared VPC: create network
// interfaces only in the declared subnets with the declared security groups (CreateNetworkInterface is
// authorized on the subnet and security group as well as on the new interface), change and delete only
// interfaces in those subnets, and describe the network. Resource types and condition keys: Service
// Authorization Reference, Amazon EC2
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html); the actions:
// https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html (CreateTrainingJob with a VpcConfig),
// https://docs.aws.amazon.com/sagemaker/latest/dg/train-vpc.html and
// https://docs.aws.amazon.com/sagemaker/latest/dg/samurai-vpc-labeling-job.html.
func vpcStatements(s spec.Spec, scope Scope) []Statement {
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
	return []Statement{
		{Sid: "VpcDescribe", Effect: Allow, Action: NewStrings(vpcDescribeActions...), Resource: NewStrings("*")},
		{
			Sid:      "VpcCreateNetworkInterfaceInSubnets",
			Effect:   Allow,
			Action:   NewStrings("ec2:CreateNetworkInterface"),
			Resource: NewStrings(append(subnets, groups...)...),
		},
		{
			Sid:       "VpcNetworkInterfacesInSubnets",
			Effect:    Allow,
			Action:    NewStrings(vpcInterfaceActions...),
			Resource:  NewStrings(ec2 + "network-interface/*"),
			Condition: Condition{"ArnEquals": {"ec2:Subnet": NewStrings(subnets...)}},
		},
	}
}
