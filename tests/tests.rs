//! The integration tests: the real binary on whole projects.

#![allow(unreachable_pub)]

mod support;

mod bad_inputs;
mod book;
mod brand_api;
mod brand_org;
mod budgets;
mod build;
mod checks;
mod ci_workflow;
mod config_errors;
mod corpus;
mod init;
mod kmsi;
mod layers;
mod origin;
mod output;
mod pipes;
mod preflight;
mod properties;
mod publish;
mod reliability;
mod schema;
mod serve;
mod ship;
mod snapshots;
mod source_shape;
mod templates;
mod visual;
mod widget_data;
mod writes;
