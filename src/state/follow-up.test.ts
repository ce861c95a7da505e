import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { testContext } from "../../test/fixtures/context";
import { effectiveFollowUp, type FollowUpAction, followUpId } from "../domain/plan/follow-up";
import { createProject } from "../domain/project";
import { LyktaDatabase } from "../storage/database";
import {
  followUpProblemText,
  followUpRecords,
  followUps,
  loadFollowUps,
  ownerKey,
  setFollowUp,
  setFollowUps,
  statusKey,
} from "./follow-up";
import { t } from "./i18n";
import { setSession } from "./session";

let counter = 0;
const opened: LyktaDatabase[] = [];

async function open(name: string) {
  const db = await LyktaDatabase.open({ name });
  opened.push(db);
  setSession(db, "tablet-a");
  return db;
}

afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

const graffiti: FollowUpAction = {
  key: "remove_graffiti:site-12",
  defaultOwner: "street_department",
  defaultDeadlineAt: Date.UTC(2027, 0, 16, 19),
};

describe("follow-up state", () => {
  it("creates, edits and stores a follow-up; it survives a reload", async () => {
    const name = `lykta-follow-up-${++counter}-${Math.random()}`;
    const db = await open(name);
    const project = createProject(
      { name: "Vivalla", organisation: "Örebro kommun" },
      testContext(),
    );
    await db.putRecords([project]);
    setFollowUps(project.id, []);

    const first = await setFollowUp(project.id, graffiti, { owner: "property_owner" });
    expect(first.ok).toBe(true);
    const both = await Promise.all([
      setFollowUp(project.id, graffiti, { status: "in_progress" }),
      setFollowUp(project.id, graffiti, { note: "Ägaren ringd" }),
    ]);
    expect(both.every((result) => result.ok)).toBe(true);
    const shown = followUps.value.get(graffiti.key);
    expect(shown?.id).toBe(await followUpId(project.id, graffiti.key));
    expect(shown?.fields).toMatchObject({
      owner: "property_owner",
      status: "in_progress",
      note: "Ägaren ringd",
    });
    expect(followUpRecords.value).toHaveLength(1);

    const refused = await setFollowUp(project.id, graffiti, { status: "rejected" });
    expect(refused).toMatchObject({ ok: false, problem: { reason: "reason_required" } });
    if (!refused.ok && refused.problem) {
      expect(followUpProblemText(refused.problem)).toBe(t("followUp.problem.reason_required"));
    }

    db.close();
    setFollowUps("another-project", []);
    await open(name);
    await loadFollowUps(project.id);
    const reloaded = followUps.value.get(graffiti.key);
    expect(reloaded).toEqual(shown);
    const effective = effectiveFollowUp(graffiti, reloaded, graffiti.defaultDeadlineAt! + 1);
    expect(effective).toMatchObject({ status: "in_progress", overdue: true });
  });

  it("names owners and statuses in Swedish by default", () => {
    expect(t(ownerKey("street_department"))).toBe("Gatuavdelningen");
    expect(t(ownerKey("police"))).toBe("Polisen");
    expect(t(statusKey("in_progress"))).toBe("Pågår");
    expect(t(statusKey("rejected"))).toBe("Avvisad");
    expect(t("followUp.overdue")).toBe("Försenad");
  });
});
