// Command contractgen writes constructs/src/contract.generated.ts: the facts the jsii construct library shares with
// the provider (property names, limits, settings, metric names, the provider role's statement ids), taken from
// lambda/contract, lambda/drift and cdk/provider so the TypeScript source never restates them by hand.
// TestGeneratedContractIsCurrent fails when the file is stale.
//
//	go run ./constructs/contractgen > constructs/src/contract.generated.ts
package main

import (
	"fmt"
	"os"

	"github.com/gtrole/groundtruth-execution-role/constructs/contractgen/render"
)

func main() {
	if _, err := os.Stdout.WriteString(render.TypeScript()); err != nil {
		fmt.Fprintln(os.Stderr, "contractgen:", err)
		os.Exit(1)
	}
}
