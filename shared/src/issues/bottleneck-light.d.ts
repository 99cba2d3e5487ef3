// Types for Bottleneck's light build, the one Octokit's throttling plugin loads: same API as the full
// build (bottleneck.d.ts), minus Redis clustering, which a2a-ops never uses.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
