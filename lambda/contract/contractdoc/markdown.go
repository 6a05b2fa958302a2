package contractdoc

import (
	"fmt"
	"strings"

	"github.com/gtrole/groundtruth-execution-role/lambda/contract"
)

// PropertyTable is the README's property table, in Markdown.
func PropertyTable() string {
	var b strings.Builder
	b.WriteString("| Property | Type | Default | What it grants or sets | On change |\n|---|---|---|---|---|\n")
	for _, p := range contract.Properties {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s |\n", p.Name, typeText(p), defaultText(p), descriptionText(p), changeText(p))
	}
	return b.String()
}

// SettingsTable is the README's provider settings table, in Markdown.
func SettingsTable() string {
	var b strings.Builder
	b.WriteString("| Variable | Default | Effect |\n|---|---|---|\n")
	for _, s := range contract.Settings {
		def := s.Default
		if def == "" {
			def = "none"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", s.Env, def, s.Description)
	}
	return b.String()
}

func typeText(p contract.Property) string {
	switch p.Type {
	case contract.Integer:
		return fmt.Sprintf("number, %d–%d", p.Minimum, p.Maximum)
	case contract.Boolean:
		return "boolean"
	case contract.TagList:
		return fmt.Sprintf("list of `{Key, Value}`, ≤ %d", p.MaxItems)
	case contract.StringList:
		return "list of " + join(p.Format, itemsText(p), lengthText(p))
	case contract.Object:
		fields := make([]string, len(p.Fields))
		for i, f := range p.Fields {
			fields[i] = "`" + f.Name + "`: " + typeText(f)
		}
		return "object {" + strings.Join(fields, "; ") + "}"
	default:
		return join("string", lengthText(p), p.Format)
	}
}

func lengthText(p contract.Property) string {
	return boundsText(p.MinLength, p.MaxLength, "characters")
}

func itemsText(p contract.Property) string { return boundsText(p.MinItems, p.MaxItems, "of them") }

// boundsText says "min–max unit" or "≤ max unit"; nothing when there is no maximum.
func boundsText(lo, hi int, unit string) string {
	switch {
	case hi == 0:
		return ""
	case lo > 0:
		return fmt.Sprintf("%d–%d %s", lo, hi, unit)
	default:
		return fmt.Sprintf("≤ %d %s", hi, unit)
	}
}

func defaultText(p contract.Property) string {
	switch {
	case p.Required && p.Unless != "":
		return "required unless `" + p.Unless + "` is given"
	case p.Required:
		return "required"
	case p.Default != "":
		return p.Default
	default:
		return "none"
	}
}

func descriptionText(p contract.Property) string {
	if p.Needs == "" {
		return p.Description
	}
	if n, _ := contract.Lookup(p.Needs); n.Type == contract.Boolean {
		return p.Description + "; needs `" + p.Needs + "` true"
	}
	return p.Description + "; needs `" + p.Needs + "`"
}

func changeText(p contract.Property) string {
	if p.Replaces {
		return "replaces"
	}
	return "in place"
}

func join(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// Splice replaces what lies between the begin and end marker lines of doc with body.
func Splice(doc, begin, end, body string) (string, error) {
	i := strings.Index(doc, begin+"\n")
	j := strings.Index(doc, end)
	if i < 0 || j < i {
		return "", fmt.Errorf("markers %q … %q not found in order", begin, end)
	}
	start := i + len(begin) + 1
	return doc[:start] + body + doc[j:], nil
}
