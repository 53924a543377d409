import { describe, expect, it } from "vitest";
import { linesMatching, sourceFiles } from "../../../test/source-files";
import { JOB_PAYLOADS, JOBS } from "./jobs";

/**
 * Job names are declared once (docs/conventions.md#jobs): everything else says
 * `JOBS.<name>`, so a renamed job cannot leave a caller enqueueing the old name.
 */

const TABLE = "server/domain/shared/jobs.ts";
const names = Object.values(JOBS);
// a quoted job name; `systemActor("reconcile", …)` names the actor and `targetType: "catalogue_import"` an audit target, not the job
const literal = new RegExp(`(?<!systemActor\\()(?<!targetType: )["'\`](${names.join("|")})["'\`]`);

describe("job names", () => {
  it(`are written out only in ${TABLE}`, () => {
    expect(linesMatching(sourceFiles(), [literal], [TABLE])).toEqual([]);
  });

  it("recognises a name written out elsewhere", () => {
    const defects = [
      { file: "server/domain/x.ts", text: 'await enqueueJob(tx, "reconcile", { runId });' },
      { file: "server/domain/y.ts", text: "jobKey: `webhook_replay`," },
      { file: "server/domain/z.ts", text: 'const actor = systemActor("reconcile", correlationId);' },
      { file: "server/domain/w.ts", text: 'await writeAudit(tx, actor, { targetType: "catalogue_import", targetId: id });' },
    ];
    expect(linesMatching(defects, [literal])).toEqual(["server/domain/x.ts:1", "server/domain/y.ts:1"]);
  });

  it("each has a payload schema", () => {
    expect(Object.keys(JOB_PAYLOADS).sort()).toEqual([...names].sort());
  });
});
