"""Run pip-audit on the installed dependencies and say plainly what it could check.

Exit 1 when a known vulnerability is found. When the vulnerability service does
not answer for a package (a registry mirror without the JSON API, no network),
that package is listed as not audited rather than passed off as clean.
"""

import json
import subprocess  # nosec B404: runs pip-audit with fixed arguments
import sys
from pathlib import Path


def main() -> int:
    tool = Path(sys.executable).parent / "pip-audit"
    run = subprocess.run(  # nosec B603: fixed command, no user input
        [tool, "--format", "json", "--progress-spinner", "off", "--skip-editable"],
        capture_output=True,
        text=True,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stderr or run.stdout, file=sys.stderr)
        return 1
    audited, skipped, vulnerable = [], [], []
    for dependency in report.get("dependencies", []):
        name = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if dependency.get("skip_reason"):
            skipped.append(name)
        elif dependency.get("vulns"):
            vulnerable.append((name, [v["id"] for v in dependency["vulns"]]))
        else:
            audited.append(name)
    for name, ids in vulnerable:
        print(f"VULNERABLE {name}: {', '.join(ids)}")
    print(f"pip-audit: {len(audited)} audited clean, {len(vulnerable)} vulnerable, "
          f"{len(skipped)} not audited (the vulnerability service did not answer for them)")
    return 1 if vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
