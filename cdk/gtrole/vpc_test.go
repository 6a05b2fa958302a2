package gtrole

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

func TestVpcRendersSubnetsAndSecurityGroups(t *testing.T) {
	stack := newStack(t)
	vpc := &VpcConfig{
		Subnets: []awsec2.ISubnet{
			awsec2.Subnet_FromSubnetId(stack, jsii.String("A"), jsii.String("subnet-0123456789abcdef0")),
			awsec2.Subnet_FromSubnetId(stack, jsii.String("B"), jsii.String("subnet-0fedcba9876543210")),
		},
		SecurityGroups: []awsec2.ISecurityGroup{
			awsec2.SecurityGroup_FromSecurityGroupId(stack, jsii.String("SG"), jsii.String("sg-0123456789abcdef0"), nil),
		},
	}
	NewGroundTruthExecutionRole(stack, "Role", &Props{ServiceToken: jsii.String(token), AutomatedLabeling: jsii.Bool(true), Vpc: vpc})
	assertProperties(t, stack, `{"ServiceToken":"`+token+`","AutomatedLabeling":true,
		"VpcConfig":{"SecurityGroupIds":["sg-0123456789abcdef0"],"Subnets":["subnet-0123456789abcdef0","subnet-0fedcba9876543210"]}}`)
}

func TestVpcIsChecked(t *testing.T) {
	tests := []struct {
		name              string
		automated         *bool
		nSubnets, nGroups int
		want              string
	}{
		{"without automated labeling", nil, 1, 1, "set AutomatedLabeling to true or remove Vpc"},
		{"automated labeling false", jsii.Bool(false), 1, 1, "set AutomatedLabeling to true"},
		{"no subnets", jsii.Bool(true), 0, 1, "0 subnets, SageMaker takes 1 to 16"},
		{"seventeen subnets", jsii.Bool(true), 17, 1, "17 subnets, SageMaker takes 1 to 16"},
		{"six security groups", jsii.Bool(true), 1, 6, "6 security groups, SageMaker takes 1 to 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stack := newStack(t)
			vpc := &VpcConfig{}
			for i := range tt.nSubnets {
				vpc.Subnets = append(vpc.Subnets, awsec2.Subnet_FromSubnetId(stack, jsii.String(fmt.Sprint("S", i)), jsii.String(fmt.Sprintf("subnet-%08x", i))))
			}
			for i := range tt.nGroups {
				vpc.SecurityGroups = append(vpc.SecurityGroups, awsec2.SecurityGroup_FromSecurityGroupId(stack, jsii.String(fmt.Sprint("G", i)), jsii.String(fmt.Sprintf("sg-%08x", i)), nil))
			}
			defer func() {
				r := recover()
				if r == nil || !strings.Contains(fmt.Sprint(r), tt.want) {
					t.Errorf("panic = %v, want one containing %q", r, tt.want)
				}
			}()
			NewGroundTruthExecutionRole(stack, "Role", &Props{ServiceToken: jsii.String(token), AutomatedLabeling: tt.automated, Vpc: vpc})
		})
	}
}
