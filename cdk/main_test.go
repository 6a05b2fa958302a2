package main

import (
	"os"
	"testing"

	"github.com/gtrole/groundtruth-execution-role/cdk/internal/cdktest"
)

func TestMain(m *testing.M) { os.Exit(cdktest.Main(m)) }
