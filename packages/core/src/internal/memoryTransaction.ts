import { Effect, FiberRef, Option } from "effect"

/** Undo actions recorded by in-memory stores during one transaction, newest last. */
export interface Journal {
  readonly undo: Array<() => void>
}

/** The journal of the transaction the current fiber runs in, if any. */
export const currentJournal: FiberRef.FiberRef<Option.Option<Journal>> = FiberRef.unsafeMake<Option.Option<Journal>>(
  Option.none()
)

/** Records how to undo a change just made; a no-op outside a memory transaction. */
export const registerRollback = (undo: () => void): Effect.Effect<void> =>
  Effect.flatMap(FiberRef.get(currentJournal), (journal) =>
    Option.isSome(journal) ? Effect.sync(() => journal.value.undo.push(undo)) : Effect.void
  )

export const rollback = (journal: Journal): void => {
  for (let i = journal.undo.length - 1; i >= 0; i--) journal.undo[i]()
  journal.undo.length = 0
}
