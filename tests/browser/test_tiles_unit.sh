#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The explorer's tile reader (web/js/tiles.js) checked in Node.js against RFC 9162's vectors
# and a reference tree (tests/browser/tiles_unit.mjs). Usage: test_tiles_unit.sh [willing]
cd "$(dirname "$0")" && exec node tiles_unit.mjs
