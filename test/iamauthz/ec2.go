package iamauthz

// Network is where an EC2 call happens: the partition, account and Region of its ARNs and the VPC and
// Availability Zone of the subnet it names.
type Network struct {
	Partition, Account, Region string
	Vpc                        string // vpc-…
	AvailabilityZone           string // of the subnet
}

func (n Network) arn(resource string) string {
	return "arn:" + n.Partition + ":ec2:" + n.Region + ":" + n.Account + ":" + resource
}

func (n Network) vpcARN() string { return n.arn("vpc/" + n.Vpc) }

// CreateNetworkInterface is the authorization IAM makes for one ec2:CreateNetworkInterface call with subnet and
// security groups: one request per resource, each with the condition keys the Service Authorization Reference
// gives that resource of that action (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html),
// and ec2:Region, the action's own key. The new interface has no id yet (network-interface/*) and, without tags in
// the call, only ec2:Region: ec2:Subnet is not a key of it. The call is allowed only when every request is.
func CreateNetworkInterface(n Network, subnet string, groups ...string) []Request {
	region := map[string]string{"ec2:Region": n.Region}
	with := func(extra map[string]string) map[string]string {
		ctx := map[string]string{}
		for k, v := range region {
			ctx[k] = v
		}
		for k, v := range extra {
			ctx[k] = v
		}
		return ctx
	}
	const action = "ec2:CreateNetworkInterface"
	reqs := []Request{
		{Action: action, Resource: n.arn("network-interface/*"), Context: with(nil)},
		{Action: action, Resource: n.arn("subnet/" + subnet), Context: with(map[string]string{
			"ec2:SubnetID": subnet, "ec2:Vpc": n.vpcARN(), "ec2:AvailabilityZone": n.AvailabilityZone,
		})},
	}
	for _, g := range groups {
		reqs = append(reqs, Request{Action: action, Resource: n.arn("security-group/" + g), Context: with(map[string]string{
			"ec2:SecurityGroupID": g, "ec2:Vpc": n.vpcARN(),
		})})
	}
	return reqs
}

// OnNetworkInterface is the authorization of an action on an existing interface in subnet
// (ec2:DeleteNetworkInterface, ec2:CreateNetworkInterfacePermission, ec2:DeleteNetworkInterfacePermission): the
// interface's ARN with ec2:Subnet, ec2:Vpc, ec2:AvailabilityZone, ec2:NetworkInterfaceID and ec2:Region.
func OnNetworkInterface(n Network, action, id, subnet string) Request {
	return Request{Action: action, Resource: n.arn("network-interface/" + id), Context: map[string]string{
		"ec2:Region": n.Region, "ec2:Subnet": n.arn("subnet/" + subnet), "ec2:Vpc": n.vpcARN(),
		"ec2:AvailabilityZone": n.AvailabilityZone, "ec2:NetworkInterfaceID": id,
	}}
}

// DecideAll is the decision on a call authorized on several resources: allowed only when each request is; the
// first request denied is returned with it.
func (p Policy) DecideAll(reqs []Request) (Decision, *Request) {
	allowed := Decision{Allowed: len(reqs) > 0}
	for i := range reqs {
		d := p.Decide(reqs[i])
		if !d.Allowed {
			return d, &reqs[i]
		}
		allowed = d
	}
	return allowed, nil
}
