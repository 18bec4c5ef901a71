// Keeps the portal's build cache (.cache/build.sqlite: parsed articles and rendered bodies by content hash)
// between Netlify builds, with Netlify's own cache utility. Every context restores it, so a deploy preview
// renders only what it changed; only the contexts in `save_in` (production) write it back, so what a preview
// or a branch deploy built never becomes what production starts from. See README, "Deploying".
const savingContexts = (inputs) => inputs.save_in || ["production"];

module.exports = {
  async onPreBuild({ inputs, utils }) {
    for (const path of inputs.paths) {
      const restored = await utils.cache.restore(path);
      console.log(`build cache: ${path} ${restored ? "restored" : "not in the cache yet (cold build)"}`);
    }
  },
  async onPostBuild({ inputs, utils }) {
    const context = process.env.CONTEXT || "";
    if (!savingContexts(inputs).includes(context)) {
      console.log(`build cache: not saved (context "${context}" only reads it)`);
      return;
    }
    for (const path of inputs.paths) {
      const saved = await utils.cache.save(path);
      console.log(`build cache: ${path} ${saved ? "saved" : "missing, nothing saved"}`);
    }
  },
};
