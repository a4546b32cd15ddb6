-- A citation right after its author's name gives the year alone: "Higgins 等人 [@higgins2017beta]"
-- and "Higgins et al. [@higgins2017beta]" would print the name twice ("Higgins 等人 (Higgins 等,
-- 2017)"), so such a citation is set as if written [-@higgins2017beta] ("Higgins 等人 (2017)").
-- The name is the first author's family name in the bibliography, followed by nothing or by
-- "et al.", "and ...", 等人, 等, 和 ... before the citation.

local function family_names(doc)
  local names = {}
  for _, reference in ipairs(pandoc.utils.references(doc)) do
    local authors = reference.author
    if authors and authors[1] and authors[1].family then
      names[reference.id] = pandoc.utils.stringify(authors[1].family)
    end
  end
  return names
end

-- How many inlines back (skipping spaces and the words that follow a name) the name must be.
local CONNECTIVES = {["et"] = true, ["al."] = true, ["et\u{a0}al."] = true, ["and"] = true, ["等人"] = true, ["等"] = true, ["和"] = true,
  ["与"] = true, ["及其同事"] = true}
local LOOKBACK = 8

-- Whether a word ends with the name, alone or followed by a connective ("Higgins", "Higgins等人"),
-- after anything but a letter (Chinese runs into a Latin name without a space: "性。Higgins").
local function names_author(word, family)
  for ending = #word, 1, -1 do
    local before, rest = word:sub(1, ending), word:sub(ending + 1)
    if rest == "" or CONNECTIVES[rest] then
      if before:sub(-#family) == family and not before:sub(1, -#family - 1):match("%a$") then
        return true
      end
    end
  end
  return false
end

return {
  {
    Pandoc = function(doc)
      local ok, names = pcall(family_names, doc)
      if not ok or next(names) == nil then
        return nil
      end
      return doc:walk({Inlines = function(inlines)
        for i, inline in ipairs(inlines) do
          if inline.t == "Cite" and #inline.citations == 1 and inline.citations[1].mode == "NormalCitation" then
            local family = names[inline.citations[1].id]
            local j, steps = i - 1, 0
            while family and j >= 1 and steps < LOOKBACK do
              local previous = inlines[j]
              local text = previous.t == "Str" and previous.text or nil
              if text and names_author(text, family) then
                local citations = inline.citations
                citations[1].mode = "SuppressAuthor"
                inline.citations = citations
                break
              elseif previous.t == "Space" or previous.t == "SoftBreak" or (text and CONNECTIVES[text]) then
                j, steps = j - 1, steps + 1
              else
                break
              end
            end
          end
        end
        return inlines
      end})
    end,
  },
}
