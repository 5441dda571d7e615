#!/usr/bin/env node
// A committed shim, so npm links the `serv` binary on a fresh install before `prepare` has built dist/.
require('../dist/bin.js');
