/**
 * The shape of every service's domain: one aggregate as a pure state machine.
 * `decide` answers what happened because of a command (the events, in the past
 * tense), `evolve` folds one event into the state, `initialState` is where every
 * aggregate starts. Types only, so pure domain code may import it (the one file
 * of plumbing the `no-aws-in-domain` dependency rule lets domain code import).
 *
 * Vocabulary: a service's commands are the `<Service>Command` union, named in
 * the imperative (ReserveStock, CancelOrder); its events are `<Service>Event`,
 * named in the past tense (StockReserved, OrderCancelled).
 */
export interface Decider<State, Command, Event> {
  readonly initialState: State;
  decide(command: Command, state: State): readonly Event[];
  evolve(state: State, event: Event): State;
}
