package record

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// The record's format; its tag keys are the contract's RecordTagKey, RecordInlineTagKey and RecordManagedTagKey.
const (
	// version starts RecordTagKey's value; a record of another version is read as no record.
	version = "v1"
	// digestLen is how many hex digits of SHA-256 a digest keeps: 44 bits, enough to see a change, and short enough
	// that 20 managed policies (IAM's highest quota per role) fit one 256-character tag value.
	digestLen = 11
	// none is the digest field of a part the role does not have (no boundary).
	none = "-"
)

// Record is the digest of each part of a role's declared state.
type Record struct {
	Trust       string            // digest of the canonical trust policy
	Description string            // digest of the description
	MaxSession  int32             // maximum session duration in seconds, IAM's default 3600 when unset
	Boundary    string            // digest of the permissions boundary ARN; "" for none
	Tags        string            // digest of the user tags (keys not starting "gtrole:"), sorted by key
	Inline      map[string]string // inline policy name to the digest of its canonical document
	Managed     []string          // digests of the attached managed policy ARNs, sorted
}

// Of returns the record of a desired role.
func Of(r iamdoc.Role) Record {
	rec := Record{
		Trust:       Document(r.AssumeRolePolicyDocument),
		Description: Text(r.Description),
		MaxSession:  r.MaxSessionDuration,
		Boundary:    Boundary(r.PermissionsBoundary),
		Tags:        UserTags(r.Tags),
		Inline:      make(map[string]string, len(r.Policies)),
	}
	if rec.MaxSession == 0 {
		rec.MaxSession = contract.DefaultSessionSeconds
	}
	for _, p := range r.Policies {
		rec.Inline[p.PolicyName] = Document(p.PolicyDocument)
	}
	for _, arn := range iamdoc.NewStrings(r.ManagedPolicyArns...) {
		rec.Managed = append(rec.Managed, Text(arn))
	}
	slices.Sort(rec.Managed)
	return rec
}

// Text returns the digest of a string.
func Text(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:digestLen]
}

// Document returns the digest of a policy document's canonical form, so documents meaning the same compare equal.
func Document(d iamdoc.Document) string { return Text(d.Canonical().String()) }

// Boundary returns the digest of a permissions boundary ARN, "" for none.
func Boundary(arn string) string {
	if arn == "" {
		return ""
	}
	return Text(arn)
}

// UserTags returns the digest of the tags whose keys do not start with the reserved prefix "gtrole:".
func UserTags(tags []iamdoc.Tag) string {
	user := map[string]string{}
	for _, t := range tags {
		if !contract.ReservedTagKey(t.Key) {
			user[t.Key] = t.Value
		}
	}
	list := make([]iamdoc.Tag, 0, len(user))
	for _, k := range slices.Sorted(maps.Keys(user)) {
		list = append(list, iamdoc.Tag{Key: k, Value: user[k]})
	}
	b, _ := json.Marshal(list) // a list of string pairs always encodes
	return Text(string(b))
}

// Encode returns the record as tags, or an error naming the value IAM would not accept as a tag value.
func (r Record) Encode() (map[string]string, error) {
	boundary := r.Boundary
	if boundary == "" {
		boundary = none
	}
	role := fmt.Sprintf("%s trust=%s description=%s session=%d boundary=%s tags=%s",
		version, r.Trust, r.Description, r.MaxSession, boundary, r.Tags)
	inline := make([]string, 0, len(r.Inline))
	for _, n := range slices.Sorted(maps.Keys(r.Inline)) {
		if n == "" || strings.ContainsAny(n, " =") {
			return nil, fmt.Errorf("inline policy name %q cannot be recorded in a tag", n)
		}
		inline = append(inline, n+"="+r.Inline[n])
	}
	tags := map[string]string{
		contract.RecordTagKey:        role,
		contract.RecordInlineTagKey:  strings.Join(inline, " "),
		contract.RecordManagedTagKey: strings.Join(r.Managed, " "),
	}
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		v := tags[k]
		if utf8.RuneCountInString(v) > contract.MaxTagValueLength || !contract.ValidTagText(v) {
			return nil, fmt.Errorf("record tag %s would be %d characters %q; IAM allows %d of letters, digits, spaces and _.:/=+-@",
				k, utf8.RuneCountInString(v), v, contract.MaxTagValueLength)
		}
	}
	return tags, nil
}

// Decode reads the record from a role's tags; ok is false when the role carries no record of this version.
func Decode(tags map[string]string) (rec Record, ok bool, err error) {
	role, has := tags[contract.RecordTagKey]
	if !has {
		return Record{}, false, nil
	}
	fields := strings.Fields(role)
	if len(fields) == 0 || fields[0] != version {
		return Record{}, false, nil
	}
	kv := map[string]string{}
	for _, f := range fields[1:] {
		k, v, found := strings.Cut(f, "=")
		if !found {
			return Record{}, false, fmt.Errorf("tag %s: field %q is not KEY=VALUE", contract.RecordTagKey, f)
		}
		kv[k] = v
	}
	for _, k := range []string{"trust", "description", "session", "boundary", "tags"} {
		if _, found := kv[k]; !found {
			return Record{}, false, fmt.Errorf("tag %s: field %s is missing", contract.RecordTagKey, k)
		}
	}
	session, err := strconv.ParseInt(kv["session"], 10, 32)
	if err != nil {
		return Record{}, false, fmt.Errorf("tag %s: session %q is not a number", contract.RecordTagKey, kv["session"])
	}
	rec = Record{
		Trust:       kv["trust"],
		Description: kv["description"],
		MaxSession:  int32(session),
		Boundary:    kv["boundary"],
		Tags:        kv["tags"],
		Inline:      map[string]string{},
	}
	if rec.Boundary == none {
		rec.Boundary = ""
	}
	inline, has := tags[contract.RecordInlineTagKey]
	if !has {
		return Record{}, false, fmt.Errorf("tag %s is missing next to %s", contract.RecordInlineTagKey, contract.RecordTagKey)
	}
	for _, f := range strings.Fields(inline) {
		n, d, found := strings.Cut(f, "=")
		if !found {
			return Record{}, false, fmt.Errorf("tag %s: field %q is not NAME=DIGEST", contract.RecordInlineTagKey, f)
		}
		rec.Inline[n] = d
	}
	managed, has := tags[contract.RecordManagedTagKey]
	if !has {
		return Record{}, false, fmt.Errorf("tag %s is missing next to %s", contract.RecordManagedTagKey, contract.RecordTagKey)
	}
	rec.Managed = strings.Fields(managed)
	slices.Sort(rec.Managed)
	return rec, true, nil
}
