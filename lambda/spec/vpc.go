package spec

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// VpcConfig is the VPC automated labeling's training and inference jobs run in: the shape of CreateLabelingJob's
// LabelingJobAlgorithmsConfig.LabelingJobResourceConfig.VpcConfig.
type VpcConfig struct {
	SecurityGroupIds []string // sorted, without duplicates
	Subnets          []string // sorted, without duplicates
}

// vpcConfig reads VpcConfig: an object of exactly SecurityGroupIds and Subnets, each a list of EC2 ids within
// SageMaker's limits.
func (p parser) vpcConfig() *VpcConfig {
	v, ok := p.get(contract.VpcConfig)
	if !ok {
		return nil
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		p.add(contract.VpcConfig, "", "must be an object {%s: [sg-…], %s: [subnet-…]}, got %s", contract.SecurityGroupIds, contract.Subnets, kind(v))
		return nil
	}
	var unknown []string
	for k := range obj {
		if k != contract.SecurityGroupIds && k != contract.Subnets {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		p.add(contract.VpcConfig+"."+k, "", "is not a field of VpcConfig: it has only %s and %s", contract.SecurityGroupIds, contract.Subnets)
	}
	ok = len(unknown) == 0
	groups, okGroups := p.ec2IDs(obj, contract.SecurityGroupIds, "sg-", contract.MaxSecurityGroups)
	subnets, okSubnets := p.ec2IDs(obj, contract.Subnets, "subnet-", contract.MaxSubnets)
	if !ok || !okGroups || !okSubnets {
		return nil
	}
	return &VpcConfig{SecurityGroupIds: groups, Subnets: subnets}
}

// ec2IDs reads one VpcConfig field: 1 to max ids of the form prefix + 8 or 17 lowercase hex digits.
func (p parser) ec2IDs(obj map[string]any, field, prefix string, max int) ([]string, bool) {
	name := contract.VpcConfig + "." + field
	raw, has := obj[field]
	if !has || raw == nil {
		p.add(name, "", "is required: give 1 to %d ids such as %s0123456789abcdef0", max, prefix)
		return nil, false
	}
	var c collector
	values := c.strings(name, raw)
	p.problems = append(p.problems, c.problems...)
	if c.problems != nil {
		return nil, false
	}
	ok := true
	var out []string
	for i, v := range values {
		v = strings.TrimSpace(v)
		item := fmt.Sprintf("%s[%d]", name, i)
		if !p.policyText(item, v) {
			ok = false
			continue
		}
		if !ec2ID(v, prefix) {
			p.add(item, v, "is not an id of the form %s followed by 8 or 17 lowercase hexadecimal digits (for example %s0123456789abcdef0)", prefix, prefix)
			ok = false
			continue
		}
		out = append(out, v)
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if ok && (len(out) == 0 || len(out) > max) {
		p.add(name, "", "has %d distinct ids: SageMaker takes 1 to %d", len(out), max)
		ok = false
	}
	return out, ok
}

// ec2ID reports whether s is prefix followed by 8 or 17 lowercase hexadecimal digits.
func ec2ID(s, prefix string) bool {
	hex, found := strings.CutPrefix(s, prefix)
	if !found || len(hex) != 8 && len(hex) != 17 {
		return false
	}
	return strings.Trim(hex, "0123456789abcdef") == ""
}
