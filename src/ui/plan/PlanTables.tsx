/**
 * The plan without the map: the ranked investments (a row opens the cost calculation, the
 * benefit terms with the observations they come from, and the follow-up), the tasks outside
 * the budget, and the follow-up for the next meeting.
 */
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { findCategory } from "../../domain/checklist";
import {
  effectiveFollowUp,
  type FollowUpPatch,
  followUpSince,
  isOverdue,
} from "../../domain/plan/follow-up";
import type { PlanCandidates, PlanSelection } from "../../domain/plan/plan";
import {
  ACTION_STATUSES,
  type ActionStatus,
  OWNERS,
  type Owner,
  type PlanAction,
} from "../../domain/plan/types";
import type { WalkRecord } from "../../domain/walk";
import {
  followUpProblemText,
  followUpRecords,
  followUps,
  ownerKey,
  setFollowUp,
  statusKey,
} from "../../state/follow-up";
import { label, t } from "../../state/i18n";
import { projectObservations } from "../../state/sites";
import { CHECKLIST, pendingOpen, walks } from "../../state/store";
import {
  actionLabel,
  costBasisText,
  costLineText,
  dateInputValue,
  dateTime,
  deadlineFromDateInput,
  formatNumber,
  kr,
  points,
  termDescription,
  termName,
} from "./format";

/** Rows listed at a time: a city's hundreds of dark gaps stay usable on a tablet. */
const PAGE_SIZE = 25;
/** Evidence links shown per benefit term before "+ N more". */
const EVIDENCE_LINKS = 8;

/** A table that scrolls sideways on a narrow screen, reachable from the keyboard. */
function ScrollArea(props: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must be focusable to be scrolled from the keyboard (WCAG 2.1.1; axe scrollable-region-focusable).
    <section class="table-scroll" tabIndex={0} aria-label={props.label}>
      {props.children}
    </section>
  );
}

/** Bring a row chosen on the map into view. */
function useScrollToKey(openKey: string | null) {
  useEffect(() => {
    if (openKey === null) return;
    const row = [...document.querySelectorAll<HTMLElement>("[data-key]")].find(
      (element) => element.dataset.key === openKey,
    );
    row?.scrollIntoView({ block: "nearest" });
  }, [openKey]);
}

function DeadlineText(props: { deadlineAt: number | null; overdue: boolean }) {
  if (props.deadlineAt === null) return <>–</>;
  return (
    <>
      {dateTime(props.deadlineAt)}
      {props.overdue && (
        <>
          {" "}
          <strong class="plan-overdue" data-testid="plan-overdue">
            {t("plan.overdue")}
          </strong>
        </>
      )}
    </>
  );
}

// ---- the ranked investments ------------------------------------------------------------

export function ActionTable(props: {
  projectId: string;
  candidates: PlanCandidates;
  selection: PlanSelection;
  openKey: string | null;
  onOpen(key: string | null): void;
}) {
  const { candidates, selection } = props;
  const [page, setPage] = useState(PAGE_SIZE);
  const order = candidates.actions
    .map((action, index) => ({ action, index }))
    .filter(({ action }) => action.cost !== null)
    .sort(
      (a, b) =>
        (selection.rank[a.index] ?? Number.MAX_SAFE_INTEGER) -
          (selection.rank[b.index] ?? Number.MAX_SAFE_INTEGER) || a.index - b.index,
    );
  const openAt = order.findIndex(({ action }) => action.key === props.openKey);
  const shown = Math.max(page, openAt + 1);
  useScrollToKey(openAt >= 0 ? props.openKey : null);
  const now = Date.now();
  return (
    <section class="card" aria-labelledby="plan-table-heading">
      <h2 id="plan-table-heading">{t("plan.tableHeading")}</h2>
      <p class="hint">{t("plan.tableIntro")}</p>
      {order.length === 0 ? (
        <p>{t("plan.tableNone")}</p>
      ) : (
        <ScrollArea label={t("plan.tableHeading")}>
          <table class="data-table plan-table" data-testid="plan-table">
            <thead>
              <tr>
                <th scope="col">{t("plan.col.rank")}</th>
                <th scope="col" class="plan-col-what">
                  {t("plan.col.what")}
                </th>
                <th scope="col" class="num">
                  {t("plan.col.cost")}
                </th>
                <th scope="col" class="num">
                  {t("plan.col.benefit")}
                </th>
                <th scope="col">{t("plan.col.selected")}</th>
                <th scope="col">{t("followUp.owner")}</th>
                <th scope="col">{t("followUp.status")}</th>
                <th scope="col">{t("followUp.deadline")}</th>
              </tr>
            </thead>
            {order.slice(0, shown).map(({ action, index }) => {
              const open = action.key === props.openKey;
              const selected = selection.selected[index] === true;
              const followUp = effectiveFollowUp(action, followUps.value.get(action.key), now);
              const detailId = `plan-detail-${index}`;
              return (
                <tbody key={action.key} class={open ? "plan-row-open" : undefined}>
                  <tr
                    data-testid="plan-row"
                    data-key={action.key}
                    data-selected={String(selected)}
                    class={selected ? "plan-row-selected" : undefined}
                  >
                    <td>{selection.rank[index] ?? "–"}</td>
                    <th scope="row">
                      <button
                        type="button"
                        class="plan-row-toggle"
                        aria-expanded={open}
                        aria-controls={open ? detailId : undefined}
                        onClick={() => props.onOpen(open ? null : action.key)}
                      >
                        <span aria-hidden="true">{open ? "▾" : "▸"}</span> {actionLabel(action)}
                      </button>
                    </th>
                    <td class="num">{kr(action.cost?.costSek ?? 0)}</td>
                    <td class="num">{points(action.benefit.benefit)}</td>
                    <td>{selected ? t("plan.selected.yes") : t("plan.selected.no")}</td>
                    <td>{t(ownerKey(followUp.owner))}</td>
                    <td>{t(statusKey(followUp.status))}</td>
                    <td>
                      <DeadlineText deadlineAt={followUp.deadlineAt} overdue={followUp.overdue} />
                    </td>
                  </tr>
                  {open && (
                    <tr class="plan-detail-row">
                      <td colSpan={8} id={detailId} data-testid="plan-detail">
                        <ActionDetails
                          projectId={props.projectId}
                          candidates={candidates}
                          selection={selection}
                          index={index}
                        />
                      </td>
                    </tr>
                  )}
                </tbody>
              );
            })}
          </table>
        </ScrollArea>
      )}
      {order.length > shown && (
        <button type="button" class="button" onClick={() => setPage(shown + PAGE_SIZE)}>
          {t("plan.more", { count: order.length - shown })}
        </button>
      )}
    </section>
  );
}

function ActionDetails(props: {
  projectId: string;
  candidates: PlanCandidates;
  selection: PlanSelection;
  index: number;
}) {
  const { candidates, selection, index } = props;
  const action = candidates.actions[index]!;
  const selected = selection.selected[index] === true;
  const planned = selection.plannedBenefit[index] ?? 0;
  const together = (selection.chosenWith[index] ?? []).map((j) =>
    actionLabel(candidates.actions[j]!),
  );
  return (
    <div class="plan-details">
      {action.cost && (
        <div class="plan-details-part">
          <h3>{t("plan.costHeading", { cost: formatNumber(action.cost.costSek) })}</h3>
          <p>{costBasisText(action.cost)}</p>
          <ul data-testid="plan-cost-lines">
            {action.cost.lines.map((line) => (
              <li key={line.item}>{costLineText(line)}</li>
            ))}
          </ul>
        </div>
      )}
      <BenefitTerms action={action} />
      {selected && Math.abs(planned - action.benefit.benefit) > 0.05 && (
        <p>{t("plan.benefitPlanned", { points: points(planned) })}</p>
      )}
      {!selected && <p>{t("plan.notSelected")}</p>}
      {selected && together.length > 0 && (
        <p>{t("plan.chosenWith", { list: together.join("; ") })}</p>
      )}
      {action.observedAt !== null && (
        <p class="muted">{t("plan.observed", { time: dateTime(action.observedAt) })}</p>
      )}
      <FollowUpEditor projectId={props.projectId} action={action} idPrefix={`plan-fu-${index}`} />
    </div>
  );
}

function BenefitTerms(props: { action: PlanAction }) {
  const { action } = props;
  return (
    <div class="plan-details-part">
      <h3>{t("plan.benefitHeading", { benefit: points(action.benefit.benefit) })}</h3>
      {action.benefit.terms.length === 0 ? (
        <p>{t("plan.benefitNone")}</p>
      ) : (
        <table class="data-table plan-terms" data-testid="plan-terms">
          <thead>
            <tr>
              <th scope="col">{t("plan.termCol")}</th>
              <th scope="col" class="num">
                {t("plan.pointsCol")}
              </th>
              <th scope="col">{t("plan.fromCol")}</th>
            </tr>
          </thead>
          <tbody>
            {action.benefit.terms.map((term) => (
              <tr key={term.term} data-term={term.term}>
                <th scope="row">
                  <span class="plan-term-name">{termName(term)}</span>
                  <span class="muted"> – {termDescription(term)}</span>
                </th>
                <td class="num">{points(term.points)}</td>
                <td class="plan-evidence">
                  <Evidence
                    ids={term.from}
                    light={term.term === "newly_lit" || term.term === "compliance"}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function categoryLabel(id: string): string {
  const found = findCategory(CHECKLIST, id);
  return found ? label(found.category.label) : id;
}

/** Links to the observations (in their walk's list) and walks a term comes from. */
function Evidence(props: { ids: readonly string[]; light: boolean }) {
  if (props.ids.length === 0) return <>{props.light ? t("plan.fromModel") : "–"}</>;
  const observations = new Map(projectObservations.value.map((record) => [record.id, record]));
  const walkById = new Map(walks.value.map((walk) => [walk.id, walk]));
  const shown = props.ids.slice(0, EVIDENCE_LINKS);
  return (
    <ul class="plan-evidence-list">
      {shown.map((id) => {
        const observation = observations.get(id);
        if (observation?.walkId) {
          const walk = walkById.get(observation.walkId);
          return (
            <li key={id}>
              <a
                href={`#/walk/${encodeURIComponent(observation.walkId)}/list`}
                data-testid="plan-evidence-link"
                onClick={() => {
                  pendingOpen.value = id;
                }}
              >
                {categoryLabel(observation.fields.categoryId)}
              </a>{" "}
              <span class="muted">
                (
                {[walk?.fields.name, dateTime(observation.fields.observedAt)]
                  .filter(Boolean)
                  .join(", ")}
                )
              </span>
            </li>
          );
        }
        const walk = walkById.get(id);
        if (walk) {
          return (
            <li key={id}>
              <a href={`#/walk/${encodeURIComponent(id)}/list`}>
                {t("plan.fromWalk", { walk: walk.fields.name })}
              </a>
            </li>
          );
        }
        return (
          <li key={id} class="muted">
            {id}
          </li>
        );
      })}
      {props.ids.length > shown.length && (
        <li class="muted">{t("plan.moreEvidence", { count: props.ids.length - shown.length })}</li>
      )}
    </ul>
  );
}

// ---- follow-up of one action or task ---------------------------------------------------

function FollowUpEditor(props: { projectId: string; action: PlanAction; idPrefix: string }) {
  const { action, idPrefix } = props;
  const shown = effectiveFollowUp(action, followUps.value.get(action.key), Date.now());
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState(shown.rejectedReason);
  const [problem, setProblem] = useState<{ field: string; text: string } | null>(null);

  async function save(patch: FollowUpPatch): Promise<boolean> {
    const result = await setFollowUp(props.projectId, action, patch);
    if (result.ok) {
      setProblem(null);
      return true;
    }
    if (result.problem) {
      setProblem({ field: result.problem.field, text: followUpProblemText(result.problem) });
    }
    return false;
  }

  const status = rejecting ? "rejected" : shown.status;
  const reasonError = problem?.field === "rejectedReason" ? problem.text : undefined;
  const otherError = problem && problem.field !== "rejectedReason" ? problem.text : undefined;
  return (
    <fieldset class="plan-followup-editor" data-testid="plan-followup-editor">
      <legend>{t("followUp.title")}</legend>
      <div class="field-row">
        <div class="field">
          <label for={`${idPrefix}-owner`}>{t("followUp.owner")}</label>
          <select
            id={`${idPrefix}-owner`}
            value={shown.owner}
            onChange={(event) => void save({ owner: event.currentTarget.value as Owner })}
          >
            {OWNERS.map((owner) => (
              <option key={owner} value={owner}>
                {t(ownerKey(owner))}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${idPrefix}-status`}>{t("followUp.status")}</label>
          <select
            id={`${idPrefix}-status`}
            value={status}
            onChange={(event) => {
              const next = event.currentTarget.value as ActionStatus;
              if (next === "rejected" && shown.status !== "rejected") {
                setRejecting(true);
                setProblem(null);
                return;
              }
              setRejecting(false);
              void save({ status: next });
            }}
          >
            {ACTION_STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(statusKey(value))}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for={`${idPrefix}-deadline`}>{t("plan.deadlineDate")}</label>
          <input
            id={`${idPrefix}-deadline`}
            type="date"
            value={dateInputValue(shown.deadlineAt)}
            onChange={(event) => {
              const value = event.currentTarget.value;
              void save({
                deadlineAt: value === "" ? null : deadlineFromDateInput(value, shown.deadlineAt),
              });
            }}
          />
        </div>
      </div>
      {status === "rejected" && (
        <div class={`field${reasonError ? " field-invalid" : ""}`}>
          <label for={`${idPrefix}-reason`}>{t("followUp.rejectedReason")}</label>
          <textarea
            id={`${idPrefix}-reason`}
            rows={2}
            value={reason}
            required
            aria-invalid={reasonError ? true : undefined}
            aria-describedby={reasonError ? `${idPrefix}-reason-error` : undefined}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          {reasonError && (
            <p class="field-error" id={`${idPrefix}-reason-error`} role="alert">
              {reasonError}
            </p>
          )}
          <div class="button-row">
            <button
              type="button"
              class="button button-primary"
              onClick={async () => {
                const ok = await save(
                  rejecting
                    ? { status: "rejected", rejectedReason: reason }
                    : { rejectedReason: reason },
                );
                if (ok) setRejecting(false);
              }}
            >
              {rejecting ? t("plan.reject") : t("save")}
            </button>
            {rejecting && (
              <button type="button" class="button" onClick={() => setRejecting(false)}>
                {t("cancel")}
              </button>
            )}
          </div>
        </div>
      )}
      {otherError && (
        <p class="field-error" role="alert">
          {otherError}
        </p>
      )}
    </fieldset>
  );
}

// ---- tasks outside the budget ------------------------------------------------------------

export function TaskTable(props: {
  projectId: string;
  candidates: PlanCandidates;
  openKey: string | null;
  onOpen(key: string | null): void;
}) {
  const tasks = props.candidates.actions
    .map((action, index) => ({ action, index }))
    .filter(({ action }) => action.cost === null);
  const now = Date.now();
  return (
    <section class="card" aria-labelledby="plan-tasks-heading" data-testid="plan-tasks">
      <h2 id="plan-tasks-heading">{t("plan.tasksHeading")}</h2>
      <p class="hint">{t("plan.tasksIntro")}</p>
      {tasks.length === 0 ? (
        <p>{t("plan.tasksNone")}</p>
      ) : (
        <ScrollArea label={t("plan.tasksHeading")}>
          <table class="data-table plan-table">
            <thead>
              <tr>
                <th scope="col" class="plan-col-what">
                  {t("plan.col.task")}
                </th>
                <th scope="col" class="num">
                  {t("plan.col.reports")}
                </th>
                <th scope="col">{t("followUp.owner")}</th>
                <th scope="col">{t("followUp.status")}</th>
                <th scope="col">{t("followUp.deadline")}</th>
              </tr>
            </thead>
            {tasks.map(({ action, index }) => {
              const open = action.key === props.openKey;
              const followUp = effectiveFollowUp(action, followUps.value.get(action.key), now);
              const detailId = `plan-task-detail-${index}`;
              return (
                <tbody key={action.key} class={open ? "plan-row-open" : undefined}>
                  <tr data-testid="plan-task-row" data-key={action.key} data-kind={action.kind}>
                    <th scope="row">
                      <button
                        type="button"
                        class="plan-row-toggle"
                        aria-expanded={open}
                        aria-controls={open ? detailId : undefined}
                        onClick={() => props.onOpen(open ? null : action.key)}
                      >
                        <span aria-hidden="true">{open ? "▾" : "▸"}</span> {actionLabel(action)}
                      </button>
                    </th>
                    <td class="num">{action.observationIds.length}</td>
                    <td>{t(ownerKey(followUp.owner))}</td>
                    <td>{t(statusKey(followUp.status))}</td>
                    <td data-testid="plan-task-deadline">
                      <DeadlineText deadlineAt={followUp.deadlineAt} overdue={followUp.overdue} />
                    </td>
                  </tr>
                  {open && (
                    <tr class="plan-detail-row">
                      <td colSpan={5} id={detailId}>
                        <div class="plan-details">
                          <div class="plan-details-part">
                            <h3>{t("plan.fromCol")}</h3>
                            <Evidence ids={action.observationIds} light={false} />
                            {action.observedAt !== null && (
                              <p class="muted">
                                {t("plan.observed", { time: dateTime(action.observedAt) })}
                              </p>
                            )}
                          </div>
                          <FollowUpEditor
                            projectId={props.projectId}
                            action={action}
                            idPrefix={`plan-task-fu-${index}`}
                          />
                        </div>
                      </td>
                    </tr>
                  )}
                </tbody>
              );
            })}
          </table>
        </ScrollArea>
      )}
    </section>
  );
}

// ---- the follow-up for the next meeting ------------------------------------------------

/** The first walk's date (local midnight), epoch ms; null without walks. */
function firstWalkStart(projectWalks: readonly WalkRecord[]): number | null {
  let first: number | null = null;
  for (const walk of projectWalks) {
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(walk.fields.date);
    if (!match) continue;
    const at = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3])).getTime();
    if (first === null || at < first) first = at;
  }
  return first;
}

export function FollowUpView(props: {
  projectId: string;
  candidates: PlanCandidates | null;
  walks: readonly WalkRecord[];
}) {
  const since = firstWalkStart(props.walks);
  const byKey = new Map((props.candidates?.actions ?? []).map((action) => [action.key, action]));
  const labelOf = (key: string) => {
    const action = byKey.get(key);
    return action ? actionLabel(action) : key;
  };
  const now = Date.now();
  const records = followUpRecords.value.filter((record) => record.projectId === props.projectId);
  const changed = since === null ? [] : followUpSince(records, since);
  const overdue: { key: string; deadlineAt: number; owner: Owner }[] = [];
  if (props.candidates) {
    for (const action of props.candidates.actions) {
      const shown = effectiveFollowUp(action, followUps.value.get(action.key), now);
      if (shown.overdue && shown.deadlineAt !== null) {
        overdue.push({ key: action.key, deadlineAt: shown.deadlineAt, owner: shown.owner });
      }
    }
  } else {
    for (const record of records) {
      const { status, deadlineAt, owner, actionKey } = record.fields;
      if (status === "" || owner === "" || deadlineAt === null) continue;
      if (isOverdue(deadlineAt, status, now)) overdue.push({ key: actionKey, deadlineAt, owner });
    }
  }
  overdue.sort((a, b) => a.deadlineAt - b.deadlineAt);
  return (
    <section class="card" aria-labelledby="plan-followup-heading" data-testid="plan-followup">
      <h2 id="plan-followup-heading">{t("plan.followupHeading")}</h2>
      {since === null ? (
        <p>{t("plan.followupNoWalk")}</p>
      ) : (
        <>
          <p class="hint">
            {t("plan.followupIntro", { date: dateTime(since).replace(/\s\d{1,2}:\d{2}$/, "") })}
          </p>
          <h3>{t("plan.followupSince", { count: changed.length })}</h3>
          {changed.length === 0 ? (
            <p>{t("plan.followupNone")}</p>
          ) : (
            <ul data-testid="plan-followup-since">
              {changed.map((record) => (
                <li key={record.id} data-key={record.fields.actionKey}>
                  {t("plan.followupItem", {
                    label: labelOf(record.fields.actionKey),
                    status: record.fields.status === "" ? "" : t(statusKey(record.fields.status)),
                    time:
                      record.fields.statusChangedAt === null
                        ? ""
                        : dateTime(record.fields.statusChangedAt),
                    owner: record.fields.owner === "" ? "" : t(ownerKey(record.fields.owner)),
                  })}
                  {record.fields.status === "rejected" && record.fields.rejectedReason && (
                    <> {t("plan.followupReason", { reason: record.fields.rejectedReason })}</>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      <h3>{t("plan.followupOverdue", { count: overdue.length })}</h3>
      {overdue.length === 0 ? (
        <p>{t("plan.followupOverdueNone")}</p>
      ) : (
        <ul data-testid="plan-followup-overdue">
          {overdue.map((item) => (
            <li key={item.key}>
              <strong>{t("plan.overdue")}</strong>{" "}
              {t("plan.followupOverdueItem", {
                label: labelOf(item.key),
                deadline: dateTime(item.deadlineAt),
                owner: t(ownerKey(item.owner)),
              })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
