import { defineFixtureShard, FIXTURE_SHARDS } from './catalogue.js';

defineFixtureShard(1, FIXTURE_SHARDS);
