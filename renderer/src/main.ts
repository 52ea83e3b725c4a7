/** Boots the renderer: one state object per concern, the shell mounted with them. */
import { mount } from 'svelte';
import App from './App.svelte';
import { Activity } from './lib/activity.svelte.js';
import { Classes } from './lib/classes.svelte.js';
import { Clusters } from './lib/clusters.svelte.js';
import { Connection } from './lib/connection.svelte.js';
import { Evaluation } from './lib/evaluation.svelte.js';
import { FirstRun } from './lib/firstRun.svelte.js';
import { LibraryMap } from './lib/map.svelte.js';
import { Model } from './lib/model.svelte.js';
import { Review } from './lib/review.svelte.js';
import { Search } from './lib/search.svelte.js';
import { Settings } from './lib/settings.svelte.js';
import { SortAgain } from './lib/sortAgain.svelte.js';
import { SortPromise } from './lib/promise.svelte.js';
import { createStateBus } from './lib/stateEvents.js';
import './styles.css';

const connection = new Connection();
const { client } = connection;
// How the states tell one another what they changed (a filed image, a new class) without knowing one another.
const bus = createStateBus();

mount(App, {
  target: document.getElementById('app')!,
  props: {
    connection,
    activity: new Activity(client, bus),
    review: new Review(client, bus),
    sortAgain: new SortAgain(client, bus),
    classes: new Classes(client, bus),
    settings: new Settings(client, bus),
    promise: new SortPromise(client, bus),
    clusters: new Clusters(client, bus),
    evaluation: new Evaluation(client),
    search: new Search(client, bus),
    map: new LibraryMap(client, bus),
    firstRun: new FirstRun(client, new Model(client), bus),
  },
});
