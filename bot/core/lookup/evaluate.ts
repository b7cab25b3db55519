/** A labelled question: the answers that count as right (empty when it must be refused). */
export interface LabelledQuestion {
  readonly q: string;
  readonly style: string;
  readonly expect: readonly string[];
}

/** What a lookup said about one question. */
export interface Answer {
  readonly confident: boolean;
  readonly codes: readonly string[];
}

export interface StyleScore {
  readonly style: string;
  readonly total: number;
  /** In-scope: first code right. Out-of-scope: refused (not confident). */
  readonly top1: number;
  /** In-scope: a right code among the first three. */
  readonly top3: number;
  /** In-scope: first code right and confident. */
  readonly confidentRight: number;
}

export interface Evaluation {
  readonly inScope: { readonly total: number; readonly top1: number; readonly top3: number; readonly confidentRight: number };
  readonly outOfScope: { readonly total: number; readonly refused: number };
  readonly byStyle: readonly StyleScore[];
  readonly misses: readonly { readonly q: string; readonly style: string; readonly expect: readonly string[]; readonly got: readonly string[]; readonly confident: boolean }[];
}

/** Scores a lookup on a labelled set: top-1 and top-3 accuracy in scope, refusals out of scope. */
export function evaluateLookup(questions: readonly LabelledQuestion[], ask: (q: string) => Answer): Evaluation {
  const styles = new Map<string, { total: number; top1: number; top3: number; confidentRight: number }>();
  const inScope = { total: 0, top1: 0, top3: 0, confidentRight: 0 };
  const outOfScope = { total: 0, refused: 0 };
  const misses: Evaluation['misses'][number][] = [];
  for (const question of questions) {
    const answer = ask(question.q);
    const s = styles.get(question.style) ?? { total: 0, top1: 0, top3: 0, confidentRight: 0 };
    styles.set(question.style, s);
    s.total++;
    if (question.expect.length === 0) {
      outOfScope.total++;
      if (!answer.confident) {
        outOfScope.refused++;
        s.top1++;
        s.top3++;
      } else misses.push({ q: question.q, style: question.style, expect: [], got: answer.codes.slice(0, 3), confident: true });
      continue;
    }
    inScope.total++;
    const first = answer.codes[0] !== undefined && question.expect.includes(answer.codes[0]);
    const inTop3 = answer.codes.slice(0, 3).some((c) => question.expect.includes(c));
    if (first) {
      inScope.top1++;
      s.top1++;
    }
    if (inTop3) {
      inScope.top3++;
      s.top3++;
    }
    if (first && answer.confident) {
      inScope.confidentRight++;
      s.confidentRight++;
    }
    if (!first || !answer.confident) misses.push({ q: question.q, style: question.style, expect: question.expect, got: answer.codes.slice(0, 3), confident: answer.confident });
  }
  return { inScope, outOfScope, byStyle: [...styles].map(([style, v]) => ({ style, ...v })), misses };
}
