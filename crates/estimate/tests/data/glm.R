# Fits each model named in a file to an overlap table with R's glm, Poisson
# family, and prints one line a model: its number, the coefficients in R's
# order, the deviance and the AIC, to 17 significant digits.
# Usage: Rscript glm.R TABLE.tsv MODELS.txt (one right-hand side a line).
args <- commandArgs(trailingOnly = TRUE)
table <- read.delim(args[1], comment.char = "#")
models <- readLines(args[2])
for (i in seq_along(models)) {
  f <- as.formula(paste("count ~", models[i]))
  m <- glm(f, family = poisson, data = table, control = glm.control(epsilon = 1e-15, maxit = 500))
  values <- c(coef(m), deviance(m), AIC(m))
  cat(i - 1, sprintf("%.17g", values), sep = "\t")
  cat("\n")
}
