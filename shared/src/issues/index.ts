// Incident issues: one issue per failing check key, found by label + hidden marker.
export {};
