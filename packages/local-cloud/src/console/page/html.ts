import htm from 'htm';
import { h } from 'preact';

/** Tagged-template markup for preact, without a JSX build step. */
export const html = htm.bind(h);
