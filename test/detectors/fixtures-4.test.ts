import { defineFixtureShard, FIXTURE_SHARDS } from './catalogue.js';

defineFixtureShard(4, FIXTURE_SHARDS);
