"""latentdigits: the book layer of Latent Digits, on top of the `vaebook` library.

Where things are:

    experiments   every run the book trains (name, configuration, seeds) and how it loads them
    reports       what the five course reports logged, which the chapters compare against
    text          the book's words for figures and tables in both languages, and the small
                  helpers that write numbers and phrases (defined once, unit-tested)
    tables        the Markdown tables
    report_tables the course-reports appendix's tables: each report's experiments mapped to the
                  book's, and every model's hyperparameters, from the configurations
    glossary      the glossary's terms
    figures       `uses`, which ties each figure and table function to the library functions
                  behind it, and the code note that ends its caption
    explorers     the HTML edition's live explorers of latent spaces: decoders exported from
                  the cache (checked to draw within 1/255 of the package's) and a small script
    chapters/     one module per chapter: `facts(lang)` with the chapter's numbers and
                  verdicts, and one function per figure or table, named after its label
                  (fig-beta-vae-rate-distortion -> fig_rate_distortion), per code listing
                  (lst_...) and per explorer (html_...)
    build         renders both editions with Quarto, executing each chapter once per edition
    cli           the `vaebook` command

A figure in chapter X is drawn by `latentdigits.chapters.X.fig_...`, which calls one
function of `vaebook.plots`. A new model family belongs in `vaebook.families`; a new
experiment in `experiments.EXPERIMENTS`.
"""
