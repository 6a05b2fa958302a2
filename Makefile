# Custom::GroundTruthExecutionRole: a CloudFormation custom resource that makes least-privilege
# SageMaker Ground Truth execution roles. `make help` lists the targets.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
# The static checker `make vet` runs, pinned (the Go module proxy serves this version).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
GOARCH    ?= arm64
BUILD_DIR := build
SAMPLE    ?= test/testdata/properties/everything.yaml
# The region a sample is meant for: its `# region: R` line (aws-cn.yaml says cn-north-1); REGION=... overrides.
REGION    ?= $(shell sed -n 's/^# region: *\([a-z0-9-]*\).*/\1/p' $(SAMPLE) | head -n 1)
PIP       ?= python3 -m pip
# The interpreter constructs/pack.sh builds the wheel with: Debian's, where python3-build is installed.
PYTHON_BUILD ?= /usr/bin/python3
# What `make construct` writes: the jsii library packed for npm and PyPI.
CONSTRUCT_TGZ := constructs/dist/js/groundtruth-execution-role@$(VERSION).jsii.tgz
DIST      := dist
# Go packages of the project; ./... would also reach the Go init templates inside node_modules.
PKGS      := ./internal/... ./tools/... ./lambda/... ./cdk/... ./templates/... ./test/... ./examples/... ./constructs/...
# The one place the version is set; `gtrole version`, the provider's start log and package.json follow it.
VERSION   := $(shell cat internal/version/VERSION)
CDK       := npx --no-install cdk
PROVIDER_STACK ?= GroundTruthRoleProvider
# cdk deploy's --require-approval: broadening asks on a terminal before IAM widens; never runs unattended (CI).
APPROVAL  ?= broadening

.PHONY: help
help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

.PHONY: tools
tools: ## install the local test stand-ins (moto, cfn-lint) when missing
	@command -v moto_server >/dev/null || $(PIP) install 'moto[server]==5.2.1'
	@command -v cfn-lint >/dev/null || $(PIP) install 'cfn-lint==1.51.0'
	@# The construct library's wheel is built without PyPI, by Debian's python3-build (constructs/pack.sh).
	@$(PYTHON_BUILD) -c 'import build, setuptools, wheel, twine' 2>/dev/null || { command -v apt-get >/dev/null && \
		apt-get install -y -qq python3-build python3-setuptools python3-wheel twine >/dev/null || \
		{ apt-get update -qq && apt-get install -y -qq python3-build python3-setuptools python3-wheel twine >/dev/null; }; }

.PHONY: build
build: ## build the Lambda: build/bootstrap (linux/arm64, GOARCH= to change) in a reproducible build/bootstrap.zip
	@echo "building the provider for linux/$(GOARCH) (the first build compiles the AWS SDK: a minute or two)"
	env -u GOARCH $(GO) run ./tools/bundle -arch $(GOARCH) -out $(BUILD_DIR)

.PHONY: demo
demo: tools ## the main job, locally: the provider binary through Create, Update and Delete against moto (SAMPLE=file)
	$(GO) run ./test/cmd/demo -sample $(SAMPLE) $(if $(REGION),-region $(REGION))

.PHONY: render
render: ## render the role for a sample's properties (SAMPLE=file, REGION= when the sample has no `# region:` line)
	$(GO) run ./lambda/cmd/gtrole render $(if $(REGION),--region $(REGION)) $(SAMPLE)

.PHONY: vet
vet: ## gofmt, go vet and staticcheck (its default checks; a //lint:ignore names the reason for each exception)
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo 'gofmt needed'; exit 1; }
	$(GO) vet $(PKGS)
	$(GO) run $(STATICCHECK) $(PKGS)

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@# The CLI ships Go init templates; a go.mod of their own keeps them out of `go build ./...`.
	@echo 'module node_modules' > node_modules/go.mod

$(CONSTRUCT_TGZ): $(BUILD_DIR)/bootstrap.zip constructs/package.json constructs/package-lock.json $(wildcard constructs/src/*.ts) constructs/pack.sh
	PYTHON_BUILD=$(PYTHON_BUILD) constructs/pack.sh $(BUILD_DIR)/bootstrap.zip

# Not phony: the zip is rebuilt by `make build` (Go's cache makes an unchanged build quick).
$(BUILD_DIR)/bootstrap.zip:
	$(MAKE) build

.PHONY: construct
construct: build ## the jsii construct library with the provider zip inside: constructs/dist/js/*.tgz (npm), constructs/dist/python/*.whl (PyPI)
	PYTHON_BUILD=$(PYTHON_BUILD) constructs/pack.sh $(BUILD_DIR)/bootstrap.zip

# The example installs the construct library from its packed tgz.
examples/typescript/node_modules/.package-lock.json: examples/typescript/package.json examples/typescript/package-lock.json $(CONSTRUCT_TGZ)
	cd examples/typescript && npm ci --no-audit --no-fund --loglevel=error
	@echo 'module node_modules' > examples/typescript/node_modules/go.mod

.PHONY: node-modules
node-modules: node_modules/.package-lock.json examples/typescript/node_modules/.package-lock.json ## install the pinned CDK CLI, the construct library's packages (packed) and the TypeScript example's, from their lock files

.PHONY: test
test: tools node-modules vet ## run every test (static checks, unit, golden, fuzz seed corpus, e2e, CDK, templates; ./lambda/... again under -race)
	$(GO) test -count=1 -parallel 4 -timeout 60m $(PKGS)
	@# The production packages once more under the race detector (the suites above run the compiled binary).
	$(GO) test -race -count=1 -timeout 30m ./lambda/...

.PHONY: lint
lint: tools vet ## gofmt, go vet and cfn-lint on every template
	cfn-lint templates/*.yaml

.PHONY: bench
bench: ## benchmarks: policy generation, cold starts, RSS and IAM calls of the compiled provider
	$(GO) test -run '^$$' -bench . -benchmem ./lambda/policy ./lambda/protocol
	$(GO) test -run '^$$' -bench . -benchtime 1x ./test/e2e

.PHONY: scale
scale: tools ## scale against moto: drift audit of N=100/1,000/5,000 roles, bursts of K=40/100/200 Creates at 10 IAM calls/s (SCALE_FLAGS=...; about 15 min)
	$(GO) run ./test/cmd/scale $(SCALE_FLAGS)

.PHONY: coldstart
coldstart: ## cold start of the provider vs the Go floor, Node.js and Python IAM clients (median ms, peak RSS, ratio)
	$(GO) run ./test/cmd/coldstart -peers

.PHONY: synth
synth: build node-modules ## synthesize the CDK app (offline, no credentials) into cdk.out
	$(CDK) synth --quiet --no-notices -c codePath=$(BUILD_DIR)/bootstrap.zip

.PHONY: deploy
deploy: build node-modules ## deploy the provider stack (cdk deploy; cdk bootstrap once); APPROVAL=never for CI
	$(CDK) deploy $(PROVIDER_STACK) --require-approval $(APPROVAL) --no-notices -c codePath=$(BUILD_DIR)/bootstrap.zip

.PHONY: package
package: build ## what a user uploads: dist/bootstrap-VERSION.zip and dist/templates, with SHA-256 sums
	@rm -rf $(DIST) && mkdir -p $(DIST)/templates
	cp $(BUILD_DIR)/bootstrap.zip $(DIST)/bootstrap-$(VERSION).zip
	cp templates/*.yaml $(DIST)/templates/
	cd $(DIST) && sha256sum bootstrap-$(VERSION).zip templates/*.yaml > SHA256SUMS
	@echo "upload $(DIST)/bootstrap-$(VERSION).zip to S3, then deploy $(DIST)/templates/provider.yaml with CodeBucket/CodeKey"

.PHONY: publish
publish: package ## upload dist/bootstrap-VERSION.zip to the bucket <BUCKET_PREFIX>-<region> of each of REGIONS (organization rollout)
	$(if $(BUCKET_PREFIX),,$(error set BUCKET_PREFIX (the buckets of templates/code-bucket.yaml are <BUCKET_PREFIX>-<region>)))
	$(if $(REGIONS),,$(error set REGIONS, for example REGIONS="us-east-1 eu-west-1"))
	$(GO) run ./tools/publish -zip $(DIST)/bootstrap-$(VERSION).zip -bucket-prefix $(BUCKET_PREFIX) -regions "$(REGIONS)"

.PHONY: release
release: construct ## a release in dist/: provider zip, gtrole for 5 platforms, templates, the construct library (npm, PyPI), CycloneDX SBOMs, SHA256SUMS
	$(GO) run ./tools/release -out $(DIST) -constructs constructs/dist
	cd $(DIST) && sha256sum -c --quiet SHA256SUMS
	@ls -l $(DIST)

.PHONY: integ
integ: ## the lifecycle against real IAM (AWS credentials) or an emulator (AWS_ENDPOINT_URL); skipped without either
	@# An emulator accepts any credentials: supply dummy ones when an endpoint is named and none are set.
	$(if $(AWS_ENDPOINT_URL),$(if $(AWS_ACCESS_KEY_ID)$(AWS_PROFILE),,AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_REGION=$${AWS_REGION:-us-east-1})) \
		$(GO) test -tags integration -count=1 -v ./test/integ/...
