package spec

// Placement reads only RoleName and Path from props, with the same conversions and default as Parse (a JSON number
// or boolean RoleName becomes its text), so that a role's name can be decided where the other properties, or the
// account, are not at hand or do not parse. roleName is empty when RoleName is absent; neither value is validated.
func Placement(props map[string]any, settings Settings) (roleName, path string) {
	p := parser{collector: &collector{}, props: props, target: Target{Settings: settings}}
	return p.roleName(), p.path()
}
