#!/usr/bin/env python3
"""Counts the outcome of every test result in the .trx files under a folder and prints
'N passed, N failed, N skipped'. Exits non-zero when no test ran or any failed, so an empty run
cannot pass as green. (The trx <Counters> leave out tests skipped at run time, so results are counted.)"""
import glob
import os
import sys
import xml.etree.ElementTree as ET

folder = sys.argv[1] if len(sys.argv) > 1 else "."
passed = failed = skipped = 0
for path in glob.glob(os.path.join(folder, "**", "*.trx"), recursive=True):
    root = ET.parse(path).getroot()
    for result in root.iter():
        if not result.tag.endswith("UnitTestResult"):
            continue
        outcome = result.get("outcome", "")
        if outcome == "Passed":
            passed += 1
        elif outcome in ("NotExecuted", "Inconclusive"):
            skipped += 1
        else:
            failed += 1

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
