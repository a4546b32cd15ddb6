-- Post-render (project script, run by Pandoc's Lua): a `{{< meta key >}}` shortcode that Quarto
-- copied into the site's navigation unexpanded is replaced by the key's value.
--
-- The home page must be one file, index.qmd, for both editions, so its title is the shortcode
-- `{{< meta preface-title >}}`, whose value each edition's profile gives. Quarto expands it in
-- the page and the sidebar, but not in the breadcrumb, the previous/next links' aria-labels or
-- the search index, which it builds from the file's raw heading. The values are read from
-- _quarto.yml and the active profiles' _quarto-<profile>.yml, later ones winning, as Quarto
-- merges them.

local output_dir = os.getenv("QUARTO_PROJECT_OUTPUT_DIR")
if not output_dir or output_dir == "" then
  return
end

local function read(path)
  local file = io.open(path, "r")
  if not file then return nil end
  local text = file:read("a")
  file:close()
  return text
end

local function write(path, text)
  local file = assert(io.open(path, "w"))
  file:write(text)
  file:close()
end

local function metadata(path)
  local text = read(path)
  if not text then return {} end
  return pandoc.read("---\n" .. text .. "\n---\n", "markdown").meta
end

local values = {}
local configs = {"_quarto.yml"}
for profile in (os.getenv("QUARTO_PROFILE") or ""):gmatch("[^,%s]+") do
  table.insert(configs, "_quarto-" .. profile .. ".yml")
end
for _, config in ipairs(configs) do
  for key, value in pairs(metadata(config)) do
    if pandoc.utils.type(value) == "Inlines" or type(value) == "string" then
      values[key] = pandoc.utils.stringify(value)
    end
  end
end

local function escape_html(text)
  return (text:gsub("&", "&amp;"):gsub("<", "&lt;"):gsub(">", "&gt;"):gsub('"', "&quot;"))
end

local function escape_json(text)
  return (text:gsub("\\", "\\\\"):gsub('"', '\\"'))
end

local function expand(text, escape)
  local function value(key)
    return values[key] and escape(values[key]) or nil
  end
  text = text:gsub("{{<%s*meta%s+([%w%-_%.]+)%s*>}}", value)
  return (text:gsub("{{&lt;%s*meta%s+([%w%-_%.]+)%s*&gt;}}", value))
end

local function visit(dir)
  for _, name in ipairs(pandoc.system.list_directory(dir)) do
    local path = pandoc.path.join({dir, name})
    if name ~= "site_libs" and pandoc.path.exists(path, "directory") then
      visit(path)
    elseif name:match("%.html$") or name == "search.json" then
      local text = read(path)
      if text and text:find("{{", 1, true) then
        local expanded = expand(text, name:match("%.json$") and escape_json or escape_html)
        if expanded ~= text then write(path, expanded) end
      end
    end
  end
end

visit(output_dir)
