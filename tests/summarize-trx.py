#!/usr/bin/env python3
"""Counts the outcome of every test result under a folder, in the .NET .trx files and the JUnit XML files (the web
UI's Vitest run), and prints 'N passed, N failed, N skipped'. Exits non-zero when no test ran or any failed, so an
empty run cannot pass as green. (The trx <Counters> leave out tests skipped at run time, so results are counted.)"""
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

# JUnit: a <testcase> with <failure> or <error> failed, with <skipped> was skipped, else it passed.
for path in glob.glob(os.path.join(folder, "**", "*.xml"), recursive=True):
    root = ET.parse(path).getroot()
    if root.tag not in ("testsuites", "testsuite"):
        continue
    for case in root.iter("testcase"):
        children = {child.tag for child in case}
        if children & {"failure", "error"}:
            failed += 1
        elif "skipped" in children:
            skipped += 1
        else:
            passed += 1

print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
