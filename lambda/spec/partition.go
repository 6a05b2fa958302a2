package spec

import (
	"regexp"
	"sync"
)

// partitions are AWS's partitions, each with the region pattern the SDK's partition metadata states for it:
// aws-sdk-go-v2 internal/endpoints/awsrulesfn/partitions.json (v1.47.7), in that file's order. A test compares
// this table with the file in the module cache.
var partitions = []struct{ id, regionRegex string }{
	{"aws", `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`},
	{"aws-cn", `^cn\-\w+\-\d+$`},
	{"aws-eusc", `^eusc\-(de)\-\w+\-\d+$`},
	{"aws-iso", `^us\-iso\-\w+\-\d+$`},
	{"aws-iso-b", `^us\-isob\-\w+\-\d+$`},
	{"aws-iso-e", `^eu\-isoe\-\w+\-\d+$`},
	{"aws-iso-f", `^us\-isof\-\w+\-\d+$`},
	{"aws-us-gov", `^us\-gov\-\w+\-\d+$`},
}

// regionPatterns compiles the partitions' region patterns on first use, not at start.
var regionPatterns = sync.OnceValue(func() []*regexp.Regexp {
	out := make([]*regexp.Regexp, len(partitions))
	for i, p := range partitions {
		out[i] = regexp.MustCompile(p.regionRegex)
	}
	return out
})

// Partitions lists the partition ids the provider knows, in the SDK metadata's order.
func Partitions() []string {
	out := make([]string, len(partitions))
	for i, p := range partitions {
		out[i] = p.id
	}
	return out
}

// PartitionOf returns the partition whose region pattern matches region, or "" when none does. The Lambda takes
// its partition from its own function ARN; this lookup serves only where no ARN exists (the gtrole CLI) and to
// check the regions named inside ARNs.
func PartitionOf(region string) string {
	for i, re := range regionPatterns() {
		if re.MatchString(region) {
			return partitions[i].id
		}
	}
	return ""
}

// ValidRegion reports whether s is a region name of a known partition, such as us-east-1 or eusc-de-east-1.
func ValidRegion(s string) bool { return PartitionOf(s) != "" }
