package drift

import (
	"fmt"
	"slices"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
	"github.com/gtrole/groundtruth-execution-role/lambda/record"
)

// observed is a role as IAM holds it, in the terms the record compares.
type observed struct {
	trust       *iamdoc.Document            // nil when IAM's document does not parse strictly
	description string                      // "" when none
	maxSession  int32                       // IAM's value
	boundary    string                      // ARN; "" when none
	tags        []iamdoc.Tag                // every tag, reserved ones included
	inlineNames []string                    // every inline policy name, sorted
	inline      map[string]*iamdoc.Document // documents read for the recorded names; nil values do not parse
	managed     []string                    // attached managed policy ARNs, sorted
}

// compare lists what differs between the role and its record, in a fixed order; none means in sync. known maps
// the digest of a managed policy ARN to the ARN, to name a detached policy the role no longer shows.
func compare(rec record.Record, o observed, known map[string]string) []string {
	var diffs []string
	if o.trust == nil || record.Document(*o.trust) != rec.Trust {
		diffs = append(diffs, "trust policy changed")
	}

	for _, n := range o.inlineNames {
		want, recorded := rec.Inline[n]
		switch {
		case !recorded:
			diffs = append(diffs, fmt.Sprintf("inline policy %s added", n))
		case o.inline[n] == nil || record.Document(*o.inline[n]) != want:
			diffs = append(diffs, fmt.Sprintf("inline policy %s changed", n))
		}
	}
	for _, n := range sortedKeys(rec.Inline) {
		if !slices.Contains(o.inlineNames, n) {
			diffs = append(diffs, fmt.Sprintf("inline policy %s removed", n))
		}
	}

	present := map[string]bool{}
	for _, arn := range o.managed {
		d := record.Text(arn)
		present[d] = true
		if !slices.Contains(rec.Managed, d) {
			diffs = append(diffs, fmt.Sprintf("managed policy %s attached", arn))
		}
	}
	for _, d := range rec.Managed {
		if present[d] {
			continue
		}
		if arn, ok := known[d]; ok {
			diffs = append(diffs, fmt.Sprintf("managed policy %s detached", arn))
		} else {
			diffs = append(diffs, fmt.Sprintf("managed policy detached (recorded as digest %s; not one of this tool's known ARNs)", d))
		}
	}

	if record.Boundary(o.boundary) != rec.Boundary {
		switch {
		case o.boundary == "":
			diffs = append(diffs, "permissions boundary removed")
		case rec.Boundary == "":
			diffs = append(diffs, fmt.Sprintf("permissions boundary %s added", o.boundary))
		default:
			diffs = append(diffs, fmt.Sprintf("permissions boundary changed to %s", o.boundary))
		}
	}
	if record.Text(o.description) != rec.Description {
		diffs = append(diffs, "description changed")
	}
	if o.maxSession != rec.MaxSession {
		diffs = append(diffs, fmt.Sprintf("maximum session duration changed to %d s (recorded %d s)", o.maxSession, rec.MaxSession))
	}
	if record.UserTags(o.tags) != rec.Tags {
		diffs = append(diffs, "tags changed")
	}
	return diffs
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
