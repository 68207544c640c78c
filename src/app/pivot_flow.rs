//! The pivot flow of `App::update`: `p` on a sign-in asks who else signed in from its IP,
//! the answer fills the overlay, Enter opens the chosen user as the suspect (the current one
//! is remembered) and `b` goes back.

use super::{App, Suspect};
use crate::overlay::{Overlay, pivot::PivotView};
use crate::protocol::{Command, PaneId, WorkerEvent};

impl App {
    /// `p` on a sign-in: who else signed in from its IP in the window.
    pub(super) fn pivot(&mut self) -> (bool, Vec<Command>) {
        if self.focus != PaneId::SignIns {
            return (false, Vec::new());
        }
        let i = self.panes.sign_ins.view.selected;
        let Some(ip) = self
            .panes
            .sign_ins
            .state
            .data()
            .and_then(|s| self.panes.inv.sign_in_at(s, i))
            .map(|(s, _)| s.ip_address.raw().trim().to_owned())
            .filter(|ip| !ip.is_empty())
        else {
            return (false, Vec::new());
        };
        let exclude = match &self.suspect {
            Suspect::Found(u) => u.id.clone(),
            _ => String::new(),
        };
        let req = self.next_req();
        self.overlays.push(Overlay::Pivot(Box::new(PivotView::new(
            ip.clone(),
            req,
            exclude,
        ))));
        (
            true,
            vec![Command::Pivot {
                req,
                ip,
                window: self.window,
            }],
        )
    }

    /// The pivot's answer arrived.
    pub(super) fn on_pivot(&mut self, ev: WorkerEvent) -> (bool, Vec<Command>) {
        let WorkerEvent::PivotSignIns {
            req, items, error, ..
        } = ev
        else {
            return (false, Vec::new());
        };
        for o in &mut self.overlays {
            if let Overlay::Pivot(p) = o
                && p.req == req
            {
                p.fill(&items, error);
                return (true, Vec::new());
            }
        }
        (false, Vec::new())
    }

    /// Enter in the pivot: the selected user becomes the suspect; the current one is kept
    /// for `b`.
    pub(super) fn pivot_open(&mut self) -> (bool, Vec<Command>) {
        let Some(Overlay::Pivot(p)) = self.overlays.last() else {
            return (false, Vec::new());
        };
        let Some(user_id) = p.selected_user().map(|u| u.user_id.clone()) else {
            return (false, Vec::new());
        };
        self.overlays.pop();
        if let Suspect::Found(u) = &self.suspect {
            self.back.push(u.id.clone());
        }
        (true, self.look_up(user_id))
    }

    /// `b`: back to the previous suspect.
    pub(super) fn go_back(&mut self) -> (bool, Vec<Command>) {
        match self.back.pop() {
            Some(prev) => (true, self.look_up(prev)),
            None => (false, Vec::new()),
        }
    }
}
