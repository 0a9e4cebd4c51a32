package io.github.loomchan;

/**
 * One alternative of a {@link Select#select} call: a get ({@link Channel#onGet}), a put ({@link Channel#onPut}), the
 * default ({@link Select#orElse}) or a timeout ({@link Select#timeout}).
 *
 * <p>A clause is a plain description with no state of its own: it does nothing until passed to {@code select}, and
 * may be passed to several {@code select} calls, one after another or at the same time.
 *
 * @param <R> the type of the result its callback produces
 */
public sealed interface SelectClause<R> permits GetClause, PutClause, DefaultClause {}
