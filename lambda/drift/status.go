package drift

// Status is how a role compares with its record.
type Status string

// The statuses of an owned role.
const (
	// InSync means every recorded part of the role is as the provider wrote it.
	InSync Status = "IN_SYNC"
	// Modified means at least one part differs from the record; Differences says which.
	Modified Status = "MODIFIED"
	// NotRecorded means the role carries no record (made before recording existed); one Update records it.
	NotRecorded Status = "NOT_RECORDED"
)

// Finding is the audit's result for one owned role.
type Finding struct {
	RoleName    string   `json:"roleName"`
	Path        string   `json:"path"`
	StackID     string   `json:"stackId"`
	LogicalID   string   `json:"logicalId"`
	Status      Status   `json:"status"`
	Differences []string `json:"differences,omitempty"` // what differs, one sentence each, for MODIFIED
}

// Report is the result of one audit.
type Report struct {
	Findings []Finding `json:"roles"`
	Skipped  int       `json:"skippedUnowned"` // roles under the prefix without the provider's ownership tags
	Calls    int       `json:"iamCalls"`       // IAM read calls the audit made
}

// Count returns how many findings have the status.
func (r Report) Count(s Status) int {
	n := 0
	for _, f := range r.Findings {
		if f.Status == s {
			n++
		}
	}
	return n
}

// InSync reports whether every role was found IN_SYNC.
func (r Report) InSync() bool { return r.Count(InSync) == len(r.Findings) }
