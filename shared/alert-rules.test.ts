import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ALERT_RULES, ALERT_RULE_NAMES } from "./alert-rules";

// Every rule names a runbook section; the link must land on a heading of docs/operations.md
// and the rule must be in its rule table.
const operations = readFileSync(path.join(__dirname, "..", "docs", "operations.md"), "utf8");
const anchors = new Set(
  [...operations.matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
    m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9 -]/g, "")
      .replace(/ /g, "-"),
  ),
);

describe("alert rules and docs/operations.md", () => {
  it("every rule's runbook is a section of docs/operations.md", () => {
    expect(ALERT_RULE_NAMES.filter((rule) => !anchors.has(ALERT_RULES[rule].runbook))).toEqual([]);
  });
  it("every rule is in the rule table", () => {
    expect(ALERT_RULE_NAMES.filter((rule) => !operations.includes(`| \`${rule}\` |`))).toEqual([]);
  });
});
