package spec

import (
	"regexp"
	"sync"
)

// partitions are AWS's partitions, each with the region pattern and DNS suffix the SDK's partition metadata states:
// aws-sdk-go-v2 internal/endpoints/awsrulesfn/partitions.json (v1.47.7), in that file's order. A test compares
// this table with the file in the module cache.
var partitions = []struct{ id, regionRegex, dnsSuffix string }{
	{"aws", `^(us|eu|ap|sa|ca|me|af|il|mx)\-\w+\-\d+$`, "amazonaws.com"},
	{"aws-cn", `^cn\-\w+\-\d+$`, "amazonaws.com.cn"},
	{"aws-eusc", `^eusc\-(de)\-\w+\-\d+$`, "amazonaws.eu"},
	{"aws-iso", `^us\-iso\-\w+\-\d+$`, "c2s.ic.gov"},
	{"aws-iso-b", `^us\-isob\-\w+\-\d+$`, "sc2s.sgov.gov"},
	{"aws-iso-e", `^eu\-isoe\-\w+\-\d+$`, "cloud.adc-e.uk"},
	{"aws-iso-f", `^us\-isof\-\w+\-\d+$`, "csp.hci.ic.gov"},
	{"aws-us-gov", `^us\-gov\-\w+\-\d+$`, "amazonaws.com"},
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

// DNSSuffix returns the DNS suffix of a partition's endpoints (amazonaws.com, amazonaws.com.cn, ...), or "" for
// an unknown partition.
func DNSSuffix(partition string) string {
	for _, p := range partitions {
		if p.id == partition {
			return p.dnsSuffix
		}
	}
	return ""
}

// ValidRegion reports whether s is a region name of a known partition, such as us-east-1 or eusc-de-east-1.
func ValidRegion(s string) bool { return PartitionOf(s) != "" }
