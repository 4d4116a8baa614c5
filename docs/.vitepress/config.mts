// The documentation site (VitePress 1.x): `npm run docs:site` builds it into docs/.vitepress/dist.
//
// Chinese first: the root locale is 简体中文 — a landing page and, per guide, a short Chinese introduction
// (docs/zh/<guide>.md, served at /<guide>) that links to the English guide. The English guides are the existing
// docs/<guide>.md files, served at /en/<guide> (rewrites), so they stay readable on the repository host as they are.
// The typedoc API reference (docs/api, written by `npm run docs:api`) is copied into the built site as /api/ by
// scripts/docs-site.mjs, which also checks that every /api/ link below exists.
import { existsSync, readdirSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type DefaultTheme, defineConfig } from "vitepress"

const docs = fileURLToPath(new URL("..", import.meta.url))
const repository = "https://example.invalid/gongzhi"

/** Every guide: docs/<slug>.md (README.md and index.md are not guides). Guides added later are picked up here. */
const guides = readdirSync(docs)
  .filter((file) => file.endsWith(".md") && file !== "index.md" && file !== "README.md")
  .map((file) => file.slice(0, -3))
  .sort()

const title = (file: string): string => {
  const heading = /^#\s+(.+)$/m.exec(readFileSync(file, "utf8"))
  return heading ? heading[1].replaceAll("`", "") : file
}
const englishTitle = (slug: string) => title(`${docs}/${slug}.md`)
const hasChinese = (slug: string) => existsSync(`${docs}/zh/${slug}.md`)
const chineseTitle = (slug: string) => (hasChinese(slug) ? title(`${docs}/zh/${slug}.md`) : englishTitle(slug))

/** Sidebar groups; a guide in none of them lands in the last group, so a new guide is never left out. */
const groups: ReadonlyArray<{ zh: string; en: string; slugs: ReadonlyArray<string> }> = [
  { zh: "入门", en: "Getting started", slugs: ["start-a-district", "sdk", "cli", "server", "migrations"] },
  {
    zh: "业务领域",
    en: "Domains",
    slugs: ["volunteers", "opinion", "opinion-analysis", "credit", "projects", "courses"]
  },
  { zh: "存储适配器", en: "Storage adapters", slugs: ["store-sqlite", "store-postgres", "store-mysql"] },
  {
    zh: "通知",
    en: "Notifications",
    slugs: ["notifications", "notify-webhook", "notify-email", "notify-robot", "notify-sms"]
  },
  { zh: "扩展", en: "Extending", slugs: ["custom-store-adapter", "custom-notifier"] },
  { zh: "安全与质量", en: "Security and quality", slugs: ["security", "testing", "benchmarks"] }
]
const grouped = new Set(groups.flatMap((group) => group.slugs))
const allGroups = [
  ...groups.map((group) => ({ ...group, slugs: group.slugs.filter((slug) => guides.includes(slug)) })),
  { zh: "其他", en: "More", slugs: guides.filter((slug) => !grouped.has(slug)) }
].filter((group) => group.slugs.length > 0)

/** The typedoc reference per package (docs/api/modules/_gongzhi_<name>.html, see typedoc.json); checked by scripts/docs-site.mjs. */
const packages = readdirSync(`${docs}/../packages`, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(`${docs}/../packages/${entry.name}/package.json`))
  .map((entry) => JSON.parse(readFileSync(`${docs}/../packages/${entry.name}/package.json`, "utf8")).name as string)
  .sort()
const apiLink = (name: string) => `/api/modules/${name.replace("@", "_").replace("/", "_")}.html`
const apiItems: Array<DefaultTheme.SidebarItem> = [
  { text: "index", link: "/api/", target: "_self" },
  ...packages.map((name) => ({ text: name, link: apiLink(name), target: "_self" }))
]

const sidebar = (locale: "zh" | "en"): Array<DefaultTheme.SidebarItem> => [
  ...allGroups.map((group) => ({
    text: group[locale],
    collapsed: false,
    items: group.slugs.map((slug) =>
      locale === "zh"
        ? { text: chineseTitle(slug), link: hasChinese(slug) ? `/${slug}` : `/en/${slug}` }
        : { text: englishTitle(slug), link: `/en/${slug}` }
    )
  })),
  { text: locale === "zh" ? "API 参考" : "API reference", collapsed: true, items: apiItems }
]

/** The top bar (guides, API) of a locale; both sidebars in each, chosen by the page's path. */
const navigation = (guidesText: string, apiText: string, prefix: string) => ({
  nav: [
    { text: guidesText, link: `${prefix}/start-a-district` },
    { text: apiText, link: "/api/", target: "_self" }
  ],
  sidebar: { "/en/": sidebar("en"), "/": sidebar("zh") }
})

export default defineConfig({
  title: "共治 Gongzhi",
  description: "面向区县基层社会治理的 TypeScript 开发包 / A TypeScript SDK for district-level social governance",
  cleanUrls: true,
  lastUpdated: false,
  // The guides are docs/<slug>.md (English, at /en/<slug>); their Chinese introductions are docs/zh/<slug>.md (at /<slug>).
  rewrites: Object.fromEntries([
    ...guides.map((slug) => [`${slug}.md`, `en/${slug}.md`]),
    ...guides.filter(hasChinese).map((slug) => [`zh/${slug}.md`, `${slug}.md`])
  ]),
  srcExclude: ["README.md", "api/**"],
  // Dead links fail the build. Two explicit exceptions: /api/ (the typedoc output is copied in after the build, and
  // scripts/docs-site.mjs checks each link then), and links from a guide into the repository's source (../packages,
  // ../examples), which the markdown hook below turns into links to the repository host.
  ignoreDeadLinks: [/^\/api\//],
  markdown: {
    config: (md) => {
      // Inline code is literal: the guides show template placeholders like `{{project.title}}`, which Vue would
      // otherwise evaluate (fenced code blocks are already v-pre).
      const code = md.renderer.rules.code_inline
      md.renderer.rules.code_inline = (tokens, index, options, env, self) => {
        tokens[index].attrSet("v-pre", "")
        return code ? code(tokens, index, options, env, self) : self.renderToken(tokens, index, options)
      }
      const render = md.renderer.rules.link_open
      md.renderer.rules.link_open = (tokens, index, options, env, self) => {
        const href = tokens[index].attrGet("href")
        const source = href === null ? null : /^(?:\.\.\/)+((?:packages|examples|scripts|bench)\/.*)$/.exec(href)
        if (source !== null) tokens[index].attrSet("href", `${repository}/tree/main/${source[1]}`)
        return render ? render(tokens, index, options, env, self) : self.renderToken(tokens, index, options)
      }
    }
  },
  themeConfig: {
    search: {
      provider: "local",
      options: {
        // MiniSearch splits on spaces and punctuation only, so a Chinese sentence would be one term: split words with
        // Intl.Segmenter instead (in Node for the index, in the browser for the query — VitePress ships the function
        // as its source text, so it must not refer to anything outside itself).
        miniSearch: {
          options: {
            tokenize: (text: string) =>
              Array.from(new Intl.Segmenter("zh", { granularity: "word" }).segment(text))
                .filter((part) => part.isWordLike)
                .map((part) => part.segment)
          }
        }
      }
    },
    socialLinks: []
  },
  locales: {
    root: {
      label: "简体中文",
      lang: "zh-CN",
      themeConfig: {
        ...navigation("指南", "API 参考", ""),
        outline: { label: "本页目录" },
        docFooter: { prev: "上一页", next: "下一页" },
        langMenuLabel: "语言",
        returnToTopLabel: "回到顶部",
        sidebarMenuLabel: "目录",
        darkModeSwitchLabel: "深色模式"
      }
    },
    en: {
      label: "English",
      lang: "en",
      link: "/en/",
      themeConfig: {
        ...navigation("Guides", "API reference", "/en")
      }
    }
  }
})
