import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { html } from "./ui.js";

/**
 * A button that moves files asks first, in its own place: the question (what will move, how many) takes the
 * button's place with the keyboard on its answer; Cancel or Escape moves nothing and gives the focus back to the
 * button, as a dialog does. The answer is a press of its own (the second click of a double-click on the button
 * does not answer it) and is sent once, however often it is pressed; the question stays, its answer disabled,
 * until the request is answered, so the keyboard is not dropped to the top of the page meanwhile.
 */
/**
 * Tab and Shift+Tab go round the question's own controls, as in a dialog: a Tab past its last button went on down
 * the page (to the table's checkboxes, the pager) with the question still open above, its files not yet moved, and
 * a hurried Enter there did something else. Escape (or Cancel) is the way out.
 */
function tabWithin(e: KeyboardEvent): void {
  const group = e.currentTarget as HTMLElement;
  const controls = [...group.querySelectorAll<HTMLElement>("button, a[href], input, select, textarea")].filter((el) => !(el as HTMLButtonElement).disabled && el.tabIndex >= 0);
  if (controls.length === 0) return;
  const at = controls.indexOf(document.activeElement as HTMLElement);
  const next = e.shiftKey ? (at <= 0 ? controls.length - 1 : at - 1) : at < 0 || at === controls.length - 1 ? 0 : at + 1;
  e.preventDefault();
  controls[next]!.focus();
}

export function AskFirst(props: {
  /** The button's text, and its accessible name unless `askLabel`. */
  ask: string;
  askLabel?: string;
  askClass?: string;
  disabled?: boolean;
  /**
   * Not to be pressed now (a job runs), yet kept focusable: aria-disabled, a press does nothing, and
   * `describedBy` names the element that says why.
   */
  held?: boolean;
  describedBy?: string;
  /** The group's accessible name ("Confirm applying 3 moves"). */
  groupLabel: string;
  question: ComponentChildren;
  answer: string;
  /** The work; the question closes once it has settled. Answering null or false says it was refused (the keyboard goes back to the button). */
  onAnswer: () => Promise<unknown>;
  data?: Record<string, string>;
  /** Attributes of the question's group (a test's or a style's handle). */
  groupData?: Record<string, string>;
  /**
   * Nothing is left to ask about (the selection emptied, or another tab moved the books meanwhile): the question
   * goes, the button back in its place, rather than asking to move none.
   */
  gone?: boolean;
}) {
  const [asked, setAsked] = useState(false);
  const [working, setWorking] = useState(false);
  const answering = useRef(false);
  const answerButton = useRef<HTMLButtonElement>(null);
  const askButton = useRef<HTMLButtonElement>(null);
  const back = useRef(false);
  useEffect(() => {
    if (asked) answerButton.current?.focus();
    else if (back.current) askButton.current?.focus();
    back.current = false;
  }, [asked]);
  const cancel = () => {
    if (answering.current) return;
    back.current = true;
    setAsked(false);
  };
  const answer = async (e: MouseEvent) => {
    if (e.detail > 1 || answering.current) return;
    answering.current = true;
    setWorking(true);
    let settled: unknown = null;
    try {
      settled = await props.onAnswer();
    } finally {
      answering.current = false;
      setWorking(false);
      // Back to the button when it is still usable (a refused request); otherwise the keyboard stays where the
      // answer's disabling put it (main.ts keepFocusOnDisable: the nearest usable control of its group). With
      // none usable in its group that was the page's heading, at the top: a refusal (the work answered null or
      // false) brings the keyboard back from there to the button, where the user was.
      const now = document.activeElement;
      const refused = settled === null || settled === false;
      back.current = now === null || now === document.body || now === answerButton.current || (refused && now === document.querySelector("main h1"));
      setAsked(false);
    }
  };
  useEffect(() => {
    if (asked && props.gone && !answering.current) setAsked(false);
  }, [asked, props.gone]);
  if (!asked || (props.gone && !working)) {
    return html`<button ref=${askButton} class=${props.askClass ?? ""} aria-label=${props.askLabel} disabled=${props.disabled} aria-disabled=${props.held ? "true" : undefined} aria-describedby=${props.held ? props.describedBy : undefined} onClick=${() => !props.held && setAsked(true)} ...${props.data ?? {}}>${props.ask}</button>`;
  }
  return html`<div role="group" aria-label=${props.groupLabel} class="confirm" data-confirm="" ...${props.groupData ?? {}} onKeyDown=${(e: KeyboardEvent) => (e.key === "Escape" ? (e.preventDefault(), cancel()) : e.key === "Tab" && tabWithin(e))}>${props.question}
    <button ref=${answerButton} class=${props.askClass?.includes("small") ? "small" : ""} disabled=${working || props.disabled} aria-disabled=${props.held ? "true" : undefined} aria-describedby=${props.held ? props.describedBy : undefined} onClick=${(e: MouseEvent) => !props.held && answer(e)}>${props.answer}</button>
    <button class=${`secondary${props.askClass?.includes("small") ? " small" : ""}`} disabled=${working} onClick=${cancel}>Cancel</button></div>`;
}
