#!/usr/bin/env python3
"""Adds up the counters of every .trx file under a folder and prints 'N passed, N failed, N skipped'.
Exits non-zero when no test ran or any failed, so an empty run cannot pass as green."""
import glob
import os
import sys
import xml.etree.ElementTree as ET

folder = sys.argv[1] if len(sys.argv) > 1 else "."
passed = failed = skipped = 0
for path in glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True):
    root = ET.parse(path).getroot()
    counters = root.find(".//{*}ResultSummary/{*}Counters")
    if counters is None:
        continue
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    skipped += int(counters.get("notExecuted", 0)) + int(counters.get("inconclusive", 0))

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
